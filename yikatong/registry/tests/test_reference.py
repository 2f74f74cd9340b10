"""Reference datasets: every dataset loads from its documented columns; lookups by ID."""
import datetime as dt

import pytest

from yikatong.audit.models import AuditEvent
from yikatong.registry import services
from yikatong.registry.choices import DatasetKind
from yikatong.registry.models import ReferenceRecord, ReferenceSnapshot
from yikatong.registry.reference import DATASETS, reference_hits
from yikatong.registry.synthetic import Population

from .conftest import csv_file

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 10, 31)


@pytest.fixture
def two(villages):
    return [m for hh in Population("141024", [villages["v1"].code], seed=21).households(3) for m in hh][:2]


def sample_row(kind, m, other):
    return {
        DatasetKind.DEATHS: ["2026-09-09", "火化"],
        DatasetKind.HOUSEHOLD: ["0001", "户主", "洪洞县大槐树镇", "迁出", "2026-08-01"],
        DatasetKind.STATE_PAID: ["洪洞县第一中学", "在职"],
        DatasetKind.CADRES: ["第一村", "村会计", other.name, other.id_number, "配偶"],
        DatasetKind.VEHICLES: ["晋L·A12345", "小型轿车", "2020-01-02"],
        DatasetKind.REAL_ESTATE: ["晋(2024)洪洞县不动产权第1234567号", "洪洞县城区1号", "120"],
        DatasetKind.BUSINESS: ["洪洞县某某农资店", "", "经营者", "存续", "2019-05-06"],
        DatasetKind.SSC_STATUS: [m.card, "挂失", "中国农业银行"],
    }[kind]


@pytest.mark.parametrize("kind", list(DatasetKind))
def test_each_dataset_loads_and_is_found_by_id(kind, two):
    m, other = two
    spec = DATASETS[kind]
    headers = ["姓名", "身份证号码", *(c.name for c in spec.columns)]
    snap = services.reference_load(actor=None, dataset=kind, source_agency=spec.agencies[0], as_of=AS_OF,
                                   source=csv_file([[m.name, m.id_number, *sample_row(kind, m, other)]], headers=headers),
                                   file_name=f"{kind}.csv", region_code="141024")
    assert snap.row_count == 1 and snap.is_current and snap.file_sha256
    (hit,) = reference_hits(m.id_number)
    assert hit.dataset == kind and hit.source_agency == spec.agencies[0] and hit.as_of == AS_OF and hit.summary
    assert AuditEvent.objects.filter(action="registry.reference_load", after__rows=1).count() == 1
    rec = ReferenceRecord.objects.get()
    assert m.id_number not in str(rec.attrs) and (not rec.related_id_enc or rec.related_id_bidx)


def test_a_new_snapshot_supersedes_the_old_and_hits_span_datasets(two):
    m, other = two
    def load(kind, rows, headers):
        return services.reference_load(actor=None, dataset=kind, source_agency="民政局", as_of=AS_OF,
                                       source=csv_file(rows, headers=headers), file_name="x.csv", region_code="141024")
    first = load(DatasetKind.DEATHS, [[m.name, m.id_number, "2026-01-01"]], ["姓名", "身份证号码", "死亡日期"])
    load(DatasetKind.DEATHS, [[other.name, other.id_number, "2026-02-02"]], ["姓名", "身份证号码", "死亡日期"])
    load(DatasetKind.STATE_PAID, [[m.name, m.id_number, "县医院"]], ["姓名", "身份证号码", "工作单位"])
    first.refresh_from_db()
    assert not first.is_current and ReferenceSnapshot.objects.count() == 3
    assert [h.dataset for h in reference_hits(m.id_number)] == [DatasetKind.STATE_PAID]
    assert reference_hits(other.id_number)[0].event_date == dt.date(2026, 2, 2)
    assert reference_hits(m.id_number, place_code="140702") == []  # a snapshot of another county


def test_a_file_with_errors_loads_nothing(two):
    m, _ = two
    with pytest.raises(services.ReferenceFileError) as exc:
        services.reference_load(actor=None, dataset=DatasetKind.DEATHS, source_agency="民政局", as_of=AS_OF,
                                source=csv_file([[m.name, m.id_number, ""], ["某人", "123", "2026-01-01"]],
                                                headers=["姓名", "身份证号码", "死亡日期"]),
                                file_name="x.csv", region_code="141024")
    assert exc.value.code == "REFERENCE_FILE_REFUSED"
    assert "第2行 死亡日期不能为空" in exc.value.errors_list[0] and "第3行" in exc.value.errors_list[1]
    assert ReferenceSnapshot.objects.count() == 0 and ReferenceRecord.objects.count() == 0


def test_only_county_finance_or_admin_may_load(two, make_user, regions):
    from django.core.exceptions import PermissionDenied

    clerk = make_user("czs9", "township_finance", region=regions["town1"])
    with pytest.raises(PermissionDenied):
        services.reference_load(actor=clerk, dataset=DatasetKind.DEATHS, source_agency="民政局", as_of=AS_OF,
                                source=b"", file_name="x.csv")
    assert ReferenceSnapshot.objects.count() == 0
