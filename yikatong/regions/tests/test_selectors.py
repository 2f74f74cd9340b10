import pytest

from yikatong.regions import selectors
from yikatong.regions.models import Region

TOWNSHIP = "141024100"  # 大槐树镇, 洪洞县


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["141024", "141024000000"])
def test_subtree_of_a_county(shipped, prefix):
    codes = list(selectors.subtree(prefix).values_list("code", flat=True))
    assert len(codes) == 1 + 15 + 343
    assert codes[0] == "141024000000" and codes == sorted(codes)
    assert all(code.startswith("141024") for code in codes)


@pytest.mark.django_db
def test_subtree_accepts_a_region_and_every_level(shipped):
    county = Region.objects.get(code="650121000000")
    assert selectors.subtree(county).count() == 1 + 8 + 49
    assert selectors.subtree("65").count() == 1 + 2 + 2 + (8 + 22) + (49 + 167)
    assert selectors.subtree("6501").count() == 1 + 1 + 8 + 49
    assert list(selectors.subtree("141024100207").values_list("code", flat=True)) == ["141024100207"]
    assert selectors.subtree("141024100").count() == 1 + selectors.villages_of("141024100").count()
    assert not selectors.subtree("99").exists()


def test_code_prefix_and_upper_bound():
    assert selectors.code_prefix("140000000000") == "14"
    assert selectors.code_prefix("141000000000") == "1410"
    assert selectors.code_prefix("141024000000") == "141024"
    assert selectors.code_prefix("141024100000") == "141024100"
    assert selectors.code_prefix("141024100207") == "141024100207"
    assert selectors.code_prefix("1410") == "1410"
    assert selectors._upper_bound("1419") == "142"
    assert selectors._upper_bound("199") == "2"
    assert selectors._upper_bound("99") is None


@pytest.mark.django_db
def test_subtree_with_a_prefix_ending_in_nine(db):
    for code, level, parent in [
        ("210000000000", 1, None),
        ("210300000000", 2, "210000000000"),
        ("210399000000", 3, "210300000000"),
        ("210400000000", 2, "210000000000"),
    ]:
        Region.objects.create(code=code, name=code, level=level, parent_id=parent)
    assert list(selectors.subtree("2103").values_list("code", flat=True)) == ["210300000000", "210399000000"]
    assert selectors.subtree("210399").count() == 1


@pytest.mark.django_db
def test_children_and_townships(shipped):
    assert [r.code for r in selectors.children("1410")] == ["141024000000"]
    townships = list(selectors.children("141024").filter(level=4))
    assert len(townships) == 15
    assert [t.code for t in townships] == sorted(t.code for t in townships)
    assert townships[0].name == "大槐树镇"
    assert [t.code for t in selectors.children("141024000000")] == [t.code for t in townships]
    assert not selectors.children("141024100").filter(level=4).exists()


@pytest.mark.django_db
def test_villages_of(shipped):
    villages = list(selectors.villages_of(TOWNSHIP))
    assert villages and all(v.level == 5 and v.parent_id == "141024100000" for v in villages)
    assert villages[0].name == "常一社区居民委员会"
    assert selectors.villages_of("141024100000").count() == len(villages)
    assert not selectors.villages_of("141024").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("李堡村委会", "141024100207"),  # exact
        (" 李堡村委会 ", "141024100207"),
        ("李堡村民委员会", "141024100207"),  # committee suffix on either side
        ("李堡村", "141024100207"),
        ("李堡", "141024100207"),
        ("141024100207", "141024100207"),  # code
        ("贾村社区居民委员会", "141024100013"),
        ("贾村社区居委会", "141024100013"),
        ("贾村社区", "141024100013"),
        ("贾村", "141024100013"),
        ("不存在村", None),
        ("", None),
        ("141024101201", None),  # a village of another township
        ("141024100999", None),
    ],
)
def test_find_village(shipped, query, expected):
    found = selectors.find_village(TOWNSHIP, query)
    assert (found.code if found else None) == expected


@pytest.mark.django_db
def test_find_village_is_none_when_ambiguous(shipped):
    Region.objects.create(code="141024100901", name="新村村民委员会", level=5, parent_id="141024100000")
    Region.objects.create(code="141024100902", name="新村社区居民委员会", level=5, parent_id="141024100000")
    assert selectors.find_village(TOWNSHIP, "新村村民委员会").code == "141024100901"
    assert selectors.find_village(TOWNSHIP, "新村社区").code == "141024100902"
    assert selectors.find_village(TOWNSHIP, "新村村").code == "141024100901"
    assert selectors.find_village(TOWNSHIP, "新村") is None


def test_normalize_village_name():
    assert selectors.normalize_village_name("张庄村民委员会") == "张庄村"
    assert selectors.normalize_village_name("张庄村委会") == "张庄村"
    assert selectors.normalize_village_name("城关社区居民委员会") == "城关社区"
    assert selectors.normalize_village_name("城关社区居委会") == "城关社区"
    assert selectors.normalize_village_name("城关居委会") == "城关"
    assert selectors.normalize_village_name("居委会") == "居委会"


@pytest.mark.django_db
def test_ancestors(shipped, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        chain = selectors.ancestors("141024100207")
    assert [r.code for r in chain] == ["140000000000", "141000000000", "141024000000", "141024100000"]
    assert [r.name for r in chain] == ["山西省", "临汾市", "洪洞县", "大槐树镇"]
    assert [r.code for r in selectors.ancestors("141024", include_self=True)] == [
        "140000000000",
        "141000000000",
        "141024000000",
    ]
    assert selectors.ancestors("14") == []
    assert selectors.ancestors("999999") == []
