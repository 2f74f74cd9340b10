"""Paid-once moves from a partial unique index on the line table to the insert-only PaidOrigin
table (origin as primary key), backfilled from the lines already paid. The line table then has no
index on a column the ingest writes; on PostgreSQL it gets fillfactor 50 so those writes are HOT
updates (new row version on the same page, no index entries)."""
import django.db.models.deletion
from django.db import migrations, models

BACKFILL = ("INSERT INTO payments_paidorigin (origin_id, line_id) "
            "SELECT origin_id, id FROM payments_paymentorderitem WHERE status = 'paid'")


def _fillfactor(value: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE payments_paymentorderitem SET (fillfactor = {value})")
    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0004_bans_clearing'),
        ('rosters', '0002_item_check_flags'),
    ]

    operations = [
        migrations.CreateModel(
            name='PaidOrigin',
            fields=[
                ('origin', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='+', serialize=False, to='rosters.batchitem', verbose_name='原始明细')),
                ('line', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='payments.paymentorderitem', verbose_name='支付明细')),
            ],
            options={
                'verbose_name': '已发放原始明细',
            },
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.RemoveConstraint(
            model_name='paymentorderitem',
            name='paymentitem_origin_paid_once',
        ),
        migrations.RunPython(_fillfactor(50), _fillfactor(100)),
    ]
