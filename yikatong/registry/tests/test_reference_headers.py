"""Reference files with the headers agencies really send (issue 17): every synonym is read into its
column, columns that name nothing are reported (a warning, the file loads), a missing required column
is one message with a stable code naming the column and its accepted names."""
import datetime as dt

import pytest

from yikatong.audit.models import AuditEvent
from yikatong.registry import services
from yikatong.registry.choices import DatasetKind
from yikatong.registry.models import ReferenceRecord, ReferenceSnapshot
from yikatong.registry.reference import DATASETS, ID, NAME
from yikatong.registry.synthetic import Population

from .conftest import csv_file

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 10, 31)


@pytest.fixture
def person(villages):
    return next(m for hh in Population("141024", [villages["v1"].code], seed=21).households(1) for m in hh)


def load(kind, headers, row, **kw):
    return services.reference_load(actor=None, dataset=kind, source_agency=DATASETS[kind].agencies[0], as_of=AS_OF,
                                   source=csv_file([row], headers=headers), file_name="x.csv", region_code="141024", **kw)


# (dataset, synonym as sent, the column it fills, a value for it)
SYNONYMS = [
    (DatasetKind.STATE_PAID, "单位", "工作单位", "洪洞县第一中学"),
    (DatasetKind.STATE_PAID, "编制性质", "人员类别", "在职"),
    (DatasetKind.VEHICLES, "号牌", "号牌号码", "晋L·A12345"),
    (DatasetKind.VEHICLES, "车型", "车辆类型", "小型轿车"),
    (DatasetKind.REAL_ESTATE, "不动产坐落", "坐落", "洪洞县城区1号"),
    (DatasetKind.REAL_ESTATE, "权证号", "不动产权证号", "晋(2024)洪洞县不动产权第1号"),
    (DatasetKind.REAL_ESTATE, "房屋面积", "建筑面积", "120"),
    (DatasetKind.CADRES, "担任职务", "职务", "村会计"),
    (DatasetKind.CADRES, "亲属关系", "与干部关系", "配偶"),
    (DatasetKind.BUSINESS, "主体名称", "企业名称", "洪洞县某某农资店"),
    (DatasetKind.BUSINESS, "企业状态", "登记状态", "存续"),
    (DatasetKind.HOUSEHOLD, "人口状态", "户籍状态", "迁出"),
    (DatasetKind.DEATHS, "数据来源", "数据类别", "火化"),
    (DatasetKind.SSC_STATUS, "合作银行", "发卡银行", "中国农业银行"),
]
REQUIRED_VALUE = {DatasetKind.DEATHS: ("死亡日期", "2026-09-09"), DatasetKind.SSC_STATUS: ("卡状态", "正常")}


@pytest.mark.parametrize(("kind", "sent", "column", "value"), SYNONYMS, ids=[s[1] for s in SYNONYMS])
def test_synonym_fills_its_column(kind, sent, column, value, person):
    headers, row = ["姓名", "身份证号码", sent], [person.name, person.id_number, value]
    if kind in REQUIRED_VALUE:
        headers.append(REQUIRED_VALUE[kind][0])
        row.append(REQUIRED_VALUE[kind][1])
    snap = load(kind, headers, row)
    assert snap.warnings == []
    assert ReferenceRecord.objects.get(snapshot=snap).attrs[column] == value


@pytest.mark.parametrize("sent", ["社保卡号", "社会保障卡号", "金融账号"])
def test_social_security_card_number_is_the_account(sent, person):
    snap = load(DatasetKind.SSC_STATUS, ["姓名", "身份证号码", sent, "卡状态"], [person.name, person.id_number, person.card, "挂失"])
    rec = ReferenceRecord.objects.get(snapshot=snap)
    assert rec.account_bidx and rec.status == "lost"


@pytest.mark.parametrize("sent", ["金融功能状态", "社保卡状态", "卡状态"])
def test_financial_function_status_is_the_card_status(sent, person):
    snap = load(DatasetKind.SSC_STATUS, ["姓名", "身份证号码", sent], [person.name, person.id_number, "冻结"])
    assert ReferenceRecord.objects.get(snapshot=snap).status == "frozen"


@pytest.mark.parametrize(("name", "id_"), [("机动车所有人", "身份证件号码"), ("权利人姓名", "权利人证件号码"),
                                           ("持卡人", "社会保障号码"), ("死亡人员姓名", "公民身份证号码")])
def test_name_and_id_synonyms(name, id_, person):
    snap = load(DatasetKind.VEHICLES, [name, id_], [person.name, person.id_number])
    rec = ReferenceRecord.objects.get(snapshot=snap)
    assert rec.name == person.name and rec.id_bidx


def test_only_the_essential_columns_are_required():
    required = {kind: [c.name for c in spec.all_columns if c.required] for kind, spec in DATASETS.items()}
    essential = {DatasetKind.DEATHS: ["死亡日期"], DatasetKind.SSC_STATUS: ["卡状态"]}
    assert required == {kind: [NAME.name, ID.name, *essential.get(kind, [])] for kind in DATASETS}


def test_no_header_name_means_two_columns_of_one_dataset():
    from yikatong.core.sheets import header_key

    for kind, spec in DATASETS.items():
        keys = [header_key(label) for c in spec.all_columns for label in c.labels]
        assert len(keys) == len(set(keys)), kind


def test_unknown_columns_are_reported_and_the_file_loads(person):
    snap = load(DatasetKind.STATE_PAID, ["序号", "姓名", "身份证号码", "单位", "联系电话", "备用字段"],
                ["1", person.name, person.id_number, "县医院", "13800000000", "x"])
    assert snap.row_count == 1
    (warning,) = snap.warnings
    assert "“联系电话”" in warning and "“备用字段”" in warning and "序号" not in warning
    event = AuditEvent.objects.get(action="registry.reference_load")
    assert event.after["unknown_columns"] == ["联系电话", "备用字段"]
    assert "13800000000" not in str(ReferenceRecord.objects.get().attrs)


def test_a_missing_required_column_is_one_coded_message_naming_its_synonyms(person):
    with pytest.raises(services.ReferenceFileError) as exc:
        load(DatasetKind.DEATHS, ["姓名", "身份证号码", "数据类别"], [person.name, person.id_number, "火化"])
    assert exc.value.code == "SHEET_COLUMN_MISSING"
    (message,) = exc.value.errors_list
    assert "“死亡日期”" in message and "死亡时间" in message and "火化日期" in message
    assert ReferenceSnapshot.objects.count() == 0


def test_the_queued_load_fails_with_the_missing_column_code(person, make_user, regions):
    from yikatong.accounts.roles import Role
    from yikatong.jobs.services import run

    fin = make_user("fin_ref", Role.FINANCE_REVIEWER)
    job = services.reference.reference_load_start(
        actor=fin, kind="deaths", source_agency="民政局", as_of=AS_OF, file_name="x.csv",
        data=csv_file([[person.name, person.id_number]], headers=["姓名", "身份证号码"]), region_code="141024")
    job = run(job.pk)
    assert job.state == "failed" and job.message.endswith("（SHEET_COLUMN_MISSING）") and "死亡时间" in job.message
