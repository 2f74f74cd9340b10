"""No personal data in plaintext at rest: ID numbers, account numbers and phones appear in no
table, whatever was done (imports, rejected imports, uploads, events, reference data)."""
import datetime as dt

import pytest
from django.db import connection

from yikatong.core.crypto import vault
from yikatong.registry import services
from yikatong.registry.choices import DatasetKind, EventKind
from yikatong.registry.models import Person
from yikatong.registry.synthetic import register_row

from .conftest import csv_file, register_file

pytestmark = pytest.mark.django_db(transaction=True)


def _new_card() -> str:
    from stdnum import luhn

    body = "621799" + "123456789012"
    return body + luhn.calc_check_digit(body)


def _everything_as_text() -> str:
    """SQLite: the full SQL dump of the database, plus every blob decoded (a dump shows blobs as
    hex). PostgreSQL: every text-like column of every table, bytea decoded."""
    chunks = []
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            chunks.extend(connection.connection.iterdump())
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for (table,) in cur.fetchall():
                cur.execute(f'SELECT * FROM "{table}"')
                chunks.extend(bytes(v).decode("utf-8", "ignore") for row in cur.fetchall() for v in row
                              if isinstance(v, (bytes, memoryview)))
            return "\n".join(chunks)
        cur.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'bytea')"
        )
        for table, column, kind in cur.fetchall():
            cur.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')
            for (value,) in cur.fetchall():
                chunks.append(bytes(value).decode("utf-8", "ignore") if kind == "bytea" else str(value))
    return "\n".join(chunks)


def test_database_holds_no_plaintext_personal_data(population, clerk, tmp_path, regions, make_user):
    ids = [m.id_number for m in population]
    cards = [m.card for m in population]
    phones = sorted({m.phone for m in population if m.phone})
    path = tmp_path / "r.csv"
    path.write_bytes(register_file(population))
    services.register_file_import(actor=clerk, path=path, region_code=regions["town1"].code)
    # a rejected import keeps its error list (which quotes cells): encrypted
    bad = [register_row(1, population[0])]
    bad[0][11] = bad[0][11][:-1]
    path.write_bytes(csv_file(bad + [register_row(2, population[1])]))
    services.register_file_import(actor=clerk, path=path, region_code=regions["town1"].code)
    # an upload waiting for its job (the job never runs here: tasks are not sent)
    from django.test import override_settings
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        services.register_import_start(actor=clerk, data=register_file(population), file_name="待导入.csv")
    # a life event with a phone change keeps the old phone, encrypted
    person = Person.objects.get(id_bidx=vault().id_index(population[0].id_number))
    services.life_event_record(actor=clerk, person_id=person.pk, kind=EventKind.ACCOUNT_CHANGE,
                               effective_date=dt.date(2026, 10, 1), source="银行换卡回执",
                               account_no=_new_card())
    # reveal: the audit trail records that a value was seen, not the value
    reviewer = make_user("rev", "dept_reviewer")
    services.person_field_reveal(actor=reviewer, person_id=person.pk, field="id_number")
    # reference data: ID, the cadre's ID of a relative, card numbers
    services.reference_load(actor=None, dataset=DatasetKind.CADRES, source_agency="组织部", as_of=dt.date(2026, 10, 1),
                            source=csv_file([[population[1].name, ids[1], "第一村", "村会计", population[0].name, ids[0], "配偶"]],
                                            headers=["姓名", "身份证号码", "村(社区)", "职务", "干部姓名", "干部身份证号码", "与干部关系"]),
                            file_name="cadres.csv", region_code="141024")
    services.reference_load(actor=None, dataset=DatasetKind.SSC_STATUS, source_agency="人社局", as_of=dt.date(2026, 10, 1),
                            source=csv_file([[m.name, m.id_number, m.card, "正常", m.bank] for m in population[:5]],
                                            headers=["姓名", "身份证号码", "金融账号", "卡状态", "发卡银行"]),
                            file_name="ssc.csv", region_code="141024")
    text = _everything_as_text()
    assert len(text) > 10000 and population[0].name in text  # the scan did see the data
    leaked = [v for v in ids + [i.lower() for i in ids] + cards + phones if v in text]
    assert leaked == []
