"""Cross-checks as the seeds want them (issue 12 point 7): a death inside the period is a warning,
before it a block; the 人社 card-status reference marks an account inactive; amounts in yuan."""
import csv
import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError

from tests.support.factories import reference
from yikatong.checks import services
from yikatong.checks.models import Finding
from yikatong.registry.choices import DatasetKind
from yikatong.registry.models import ReferenceRecord
from yikatong.registry.services.reference import reference_load
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv


def _findings(batch, code):
    return {f.item.seq: f for f in Finding.objects.filter(batch=batch, rule__code=code).select_related("item")}


@pytest.fixture
def roster(rw, batch):
    run = roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(5)), filename="清册.csv",
                        mode="all_or_nothing")
    assert run.imported, run.message
    return batch


@pytest.mark.django_db
def test_a_death_inside_the_period_warns_and_before_it_blocks(roster, regions):
    reference(regions["county"], "deaths", [
        {"id": id_number(1), "date": dt.date(2026, 10, 31)},  # the day before the period 2026-11: blocks
        {"id": id_number(2), "date": dt.date(2026, 11, 1)},  # the first day of the period: warns
        {"id": id_number(3), "date": dt.date(2026, 11, 30)},  # the last day: warns
        {"id": id_number(4), "date": dt.date(2026, 12, 1)},  # after the period: paid in full
    ])
    services.batch_checks_run(actor=None, batch_id=roster.pk)
    assert set(_findings(roster, "DECEASED")) == {1}
    warned = _findings(roster, "DECEASED_IN_PERIOD")
    assert set(warned) == {2, 3}
    assert all(f.severity == "warn" for f in warned.values())
    assert "2026-11-01" in warned[2].message and "共享死亡数据" in warned[2].message
    assert _findings(roster, "DECEASED")[1].severity == "block"


def _ssc_file(rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["姓名", "身份证号码", "金融账号", "卡状态", "发卡银行"])
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.mark.django_db
def test_the_card_status_reference_marks_the_account_inactive(roster, rw):
    rows = [["对象1", id_number(1), card(1), "冻结", "农行"], ["对象2", id_number(2), card(2), "挂失", "农行"],
            ["对象3", id_number(3), card(3), "未激活", "农行"], ["对象4", id_number(4), card(4), "注销", "农行"],
            ["对象5", id_number(5), card(5), "正常", "农行"]]
    reference_load(actor=rw.users["fin"], dataset=DatasetKind.SSC_STATUS, source_agency="人社局",
                   as_of=dt.date(2026, 10, 31), source=_ssc_file(rows), file_name="社保卡状态.csv", region_code="141024")
    assert dict(ReferenceRecord.objects.values_list("name", "status")) == {
        "对象1": "frozen", "对象2": "lost", "对象3": "unactivated", "对象4": "closed", "对象5": "active"}
    services.batch_checks_run(actor=None, batch_id=roster.pk)
    found = _findings(roster, "ACCOUNT_INACTIVE")
    assert set(found) == {1, 2, 3, 4}  # none of them is in the register: the reference alone says so
    assert "冻结" in found[1].message and "人社社保卡状态数据" in found[1].message
    assert "已销户" in found[4].message


@pytest.mark.django_db
def test_an_unknown_card_status_is_refused_with_row_and_column(rw):
    with pytest.raises(ValidationError) as exc:
        reference_load(actor=rw.users["fin"], dataset=DatasetKind.SSC_STATUS, source_agency="人社局",
                       as_of=dt.date(2026, 10, 31), source=_ssc_file([["对象1", id_number(1), card(1), "睡眠", "农行"]]),
                       file_name="社保卡状态.csv", region_code="141024")
    text = "；".join(exc.value.messages)
    assert "卡状态" in text and "睡眠" in text and "2" in text
    assert not ReferenceRecord.objects.exists()


@pytest.mark.django_db
def test_every_amount_in_every_finding_is_in_yuan_with_two_decimals(planted, rw):
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    messages = list(Finding.objects.values_list("rule__code", "message"))
    assert {c for c, _ in messages} >= {"AMOUNT_STANDARD", "AMOUNT_JUMP"}
    for code, message in messages:
        assert not re.search(r"\d\s*分", message), (code, message)
    jump = Finding.objects.get(rule__code="AMOUNT_JUMP").message
    assert "500.00 元" in jump and "300.00 元" in jump
    assert "600.00 元" in Finding.objects.get(rule__code="AMOUNT_STANDARD").message


@pytest.mark.django_db
def test_the_migration_reads_the_card_status_of_snapshots_already_loaded(roster, regions):
    import importlib

    from django.apps import apps

    snap = reference(regions["county"], "ssc_status", [{"id": id_number(1)}, {"id": id_number(2)}])
    records = list(snap.records.order_by("pk"))
    ReferenceRecord.objects.filter(pk=records[0].pk).update(attrs={"卡状态": "冻结"}, account_bidx=roster.items.get(
        seq=1).account_bidx)
    ReferenceRecord.objects.filter(pk=records[1].pk).update(attrs={"卡状态": "正常"})
    migration = importlib.import_module("yikatong.registry.migrations.0002_referencerecord_status")
    migration.backfill(apps, None)
    assert list(snap.records.order_by("pk").values_list("status", flat=True)) == ["frozen", "active"]
    services.batch_checks_run(actor=None, batch_id=roster.pk)
    assert set(_findings(roster, "ACCOUNT_INACTIVE")) == {1}
