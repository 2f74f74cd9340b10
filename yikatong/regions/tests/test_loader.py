import pytest

from yikatong.audit.models import AuditEvent
from yikatong.regions import selectors
from yikatong.regions.loader import SHIPPED_DATA_DIR, RegionLoadError, load_regions
from yikatong.regions.models import Region

from .conftest import SEED_COUNTIES, SUBSET_COUNTS, edit_line, read_lines, write_lines, write_tree


def snapshot():
    return list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id"))


def level_counts():
    return {level: Region.objects.filter(level=level).count() for level in range(1, 6)}


@pytest.mark.django_db
def test_shipped_subset_counts_per_level(shipped):
    assert shipped.counts == SUBSET_COUNTS
    assert shipped.total == 1248 == Region.objects.count()
    assert shipped.changed == 1248
    assert shipped.aliases == 0
    assert level_counts() == SUBSET_COUNTS


@pytest.mark.django_db
@pytest.mark.parametrize("county", SEED_COUNTIES)
def test_shipped_subset_matches_readme_per_county(shipped, county):
    name, townships, villages = SEED_COUNTIES[county]
    region = Region.objects.get(code=Region.full_code(county))
    assert (region.name, region.level, region.parent_id) == (name, 3, Region.full_code(county[:4]))
    assert selectors.children(county).filter(level=4).count() == townships
    assert selectors.subtree(county).filter(level=5).count() == villages
    assert selectors.subtree(county).count() == 1 + townships + villages


@pytest.mark.django_db
def test_codes_are_padded_and_parents_linked(shipped):
    village = Region.objects.get(code="141024100207")
    assert (village.name, village.level, village.parent_id) == ("李堡村委会", 5, "141024100000")
    assert Region.objects.get(code="140000000000").parent_id is None
    assert Region.objects.get(code="141000000000").parent_id == "140000000000"
    assert not Region.objects.exclude(code__regex=r"^[0-9]{12}$").exists()
    # every child's code starts with its parent's prefix
    for region in Region.objects.select_related("parent").exclude(parent=None):
        assert region.parent.contains(region)


@pytest.mark.django_db
def test_one_audit_event_per_load(shipped):
    event = AuditEvent.objects.get(action="regions.load")
    assert (event.object_type, event.object_id) == ("regions.region", SHIPPED_DATA_DIR.name)
    assert event.after == {"1": 4, "2": 5, "3": 5, "4": 86, "5": 1148}
    assert event.actor is None


@pytest.mark.django_db
def test_loading_twice_changes_nothing(shipped):
    before = snapshot()
    again = load_regions(SHIPPED_DATA_DIR)
    assert again.counts == SUBSET_COUNTS
    assert again.changed == 0
    assert snapshot() == before
    assert level_counts() == SUBSET_COUNTS
    assert AuditEvent.objects.filter(action="regions.load").count() == 2


@pytest.mark.django_db
def test_rename_updates_the_name(shipped, data_copy):
    villages = data_copy / "villages.csv.gz"
    number = next(i for i, line in enumerate(read_lines(villages), 1) if line.startswith("141024100207,"))
    edit_line(villages, number, lambda line: line.replace("李堡村委会", "李堡社区居委会"))
    streets = data_copy / "streets.csv"
    number = next(i for i, line in enumerate(read_lines(streets), 1) if line.startswith("141024100,"))
    edit_line(streets, number, lambda line: line.replace("大槐树镇", "大槐树街道"))
    before = dict((code, name) for code, name, *_ in snapshot())

    result = load_regions(data_copy)

    assert result.changed == 2
    assert result.counts == SUBSET_COUNTS
    assert Region.objects.get(code="141024100207").name == "李堡社区居委会"
    assert Region.objects.get(code="141024100000").name == "大槐树街道"
    after = dict((code, name) for code, name, *_ in snapshot())
    assert {c for c in after if after[c] != before[c]} == {"141024100207", "141024100000"}


@pytest.mark.django_db
def test_county_filter_loads_subtree_and_ancestors(db):
    result = load_regions(SHIPPED_DATA_DIR, counties=["141024"])
    assert result.counts == {1: 1, 2: 1, 3: 1, 4: 15, 5: 343}
    assert result.counties == ("141024",)
    assert set(Region.objects.filter(level__lte=3).values_list("code", flat=True)) == {
        "140000000000",
        "141000000000",
        "141024000000",
    }
    assert Region.objects.count() == 361 == selectors.subtree("14").count()


@pytest.mark.django_db
def test_county_filter_two_counties_share_a_province(db):
    result = load_regions(SHIPPED_DATA_DIR, counties=["650121", "652301"])
    assert result.counts == {1: 1, 2: 2, 3: 2, 4: 8 + 22, 5: 49 + 167}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "counties, message",
    [(["141099"], "没有找到县级区划代码 141099"), (["1410"], "应为 6 位数字"), ([], "未指定")],
)
def test_county_filter_rejects_unknown_or_bad_codes(db, counties, message):
    with pytest.raises(RegionLoadError, match=message):
        load_regions(SHIPPED_DATA_DIR, counties=counties)
    assert not Region.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_progress_is_reported(db):
    calls = []
    load_regions(SHIPPED_DATA_DIR, progress=lambda *a: calls.append(a), chunk_size=100)
    assert calls[-1] == (1148, 1148, "村(社区)导入完成：1148 个")
    assert (100, None, "正在导入村(社区)：已处理 100 个") in calls
    assert all(len(c) == 3 for c in calls)


def _set_field(line: str, index: int, value: str) -> str:
    fields = line.rstrip("\n").split(",")
    fields[index] = value
    return ",".join(fields) + "\n"


BAD_INPUTS = [
    # (file, line, transform, expected text in the message)
    ("villages.csv.gz", 1148, lambda l: _set_field(l, 0, "65230120321"), "区划代码“65230120321”应为 12 位数字"),
    ("villages.csv.gz", 1149, lambda l: _set_field(l, 2, "652301999"), "上级区划代码“652301999”在 streets.csv 中不存在"),
    ("villages.csv.gz", 900, lambda l: _set_field(l, 0, "141024999001"), "与上级区划代码"),
    ("villages.csv.gz", 3, lambda l: _set_field(l, 1, '""'), "缺少名称"),
    ("villages.csv.gz", 1, lambda l: l.replace("streetCode", "street"), "缺少列“streetCode”"),
    ("streets.csv", 40, lambda l: _set_field(l, 2, "141099"), "上级区划代码“141099”在 areas.csv 中不存在"),
    ("streets.csv", 41, lambda l: l.split(",")[0] + "\n", "列数不足"),
    ("areas.csv", 3, lambda l: _set_field(l, 0, "53230X"), "应为 6 位数字"),
    ("cities.csv", 2, lambda l: _set_field(l, 2, "1"), "provinceCode“1”应为 2 位数字"),
    ("provinces.csv", 1, lambda l: "code,nom\n", "缺少列“name”"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("file, line, transform, expected", BAD_INPUTS)
def test_malformed_input_names_file_and_line_and_changes_nothing(data_copy, file, line, transform, expected):
    edit_line(data_copy / file, line, transform)
    with pytest.raises(RegionLoadError) as caught:
        load_regions(data_copy, chunk_size=50)  # small chunks: earlier rows were already written
    error = caught.value
    assert (error.file, error.line) == (file, line)
    assert f"{file} 第 {line} 行" in str(error)
    assert expected in str(error)
    assert not Region.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_duplicate_code_is_rejected(data_copy):
    villages = data_copy / "villages.csv.gz"
    lines = read_lines(villages)
    write_lines(villages, lines + [lines[10]])
    with pytest.raises(RegionLoadError, match="重复") as caught:
        load_regions(data_copy)
    assert (caught.value.file, caught.value.line) == ("villages.csv.gz", len(lines) + 1)
    assert not Region.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("broken", ["missing", "not_gzip", "not_utf8"])
def test_unreadable_files_are_rejected(data_copy, broken):
    if broken == "missing":
        (data_copy / "streets.csv").unlink()
        file = "streets.csv"
    elif broken == "not_gzip":
        (data_copy / "villages.csv.gz").write_bytes(b"code,name\n")
        file = "villages.csv.gz"
    else:
        (data_copy / "areas.csv").write_bytes("code,name,cityCode\n141024,洪洞县,1410\n".encode("gbk"))
        file = "areas.csv"
    with pytest.raises(RegionLoadError) as caught:
        load_regions(data_copy)
    assert caught.value.file == file
    assert file in str(caught.value)
    assert not Region.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_failed_reload_keeps_previous_data(shipped, data_copy):
    before = snapshot()
    villages = data_copy / "villages.csv.gz"
    edit_line(villages, 2, lambda line: line.replace("常一社区居民委员会", "改名社区"))
    edit_line(villages, 1149, lambda line: _set_field(line, 0, "1"))
    with pytest.raises(RegionLoadError):
        load_regions(data_copy, chunk_size=10)
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="regions.load").count() == 1


@pytest.mark.django_db
def test_missing_directory(db, tmp_path):
    with pytest.raises(RegionLoadError, match="区划数据目录不存在"):
        load_regions(tmp_path / "nowhere")


@pytest.mark.django_db
def test_rows_repeating_their_parents_code_are_merged(tmp_path):
    """东莞市 (city without counties) and 金门县 appear at two or three levels with one 12-digit code."""
    directory = write_tree(
        tmp_path / "quirks",
        {
            "provinces.csv": 'code,name\n35,"福建省"\n44,"广东省"\n',
            "cities.csv": 'code,name,provinceCode\n3505,"泉州市",35\n4419,"东莞市",44\n',
            "areas.csv": 'code,name,cityCode,provinceCode\n350527,"金门县",3505,35\n441900,"东莞市",4419,44\n',
            "streets.csv": "code,name,areaCode,provinceCode,cityCode\n"
            '350527000,"金门县",350527,35,3505\n441900003,"东城街道",441900,44,4419\n',
            "villages.csv.gz": "code,name,streetCode,provinceCode,cityCode,areaCode\n"
            '350527000000,"金门县",350527000,35,3505,350527\n'
            '441900003001,"东城社区居委会",441900003,44,4419,441900\n',
        },
    )
    result = load_regions(directory)
    assert result.counts == {1: 2, 2: 2, 3: 1, 4: 1, 5: 1}
    assert result.aliases == 3
    dongguan = Region.objects.get(code="441900000000")
    assert (dongguan.level, dongguan.parent_id) == (2, "440000000000")
    assert Region.objects.get(code="441900003000").parent_id == "441900000000"
    assert [r.code for r in selectors.children("441900").filter(level=4)] == ["441900003000"]
    jinmen = Region.objects.get(code="350527000000")
    assert (jinmen.name, jinmen.level, jinmen.parent_id) == ("金门县", 3, "350500000000")
    assert load_regions(directory, counties=["441900"]).changed == 0
