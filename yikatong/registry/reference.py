"""Reference datasets of other agencies: their columns, and lookups by ID number.

Every dataset file has 姓名 and 身份证号码 plus its own columns (docs/datasets/README.md).
Rows are stored with the ID's blind index and ciphertext; a second person's ID (the cadre of
a relative) and an account number (社保卡状态) likewise; other columns go to `attrs` as text.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from yikatong.core.crypto import vault
from yikatong.core.sheets import Column
from yikatong.regions.selectors import code_prefix

from .choices import DatasetKind
from .fields import chunks
from .models import ReferenceRecord

# The header names agencies actually send (issue 17) are aliases; docs/datasets/README.md lists them.
NAME = Column("姓名", ("人员姓名", "户主姓名", "死者姓名", "死亡人员姓名", "所有人", "机动车所有人", "车主姓名", "权利人",
                     "权利人姓名", "持卡人", "持卡人姓名", "当事人姓名"), required=True, kind="compact")
ID = Column("身份证号码", ("身份证号", "公民身份号码", "公民身份证号码", "身份证件号码", "证件号码", "证件号", "社会保障号码",
                        "死者身份证号码", "权利人证件号", "权利人证件号码", "所有人证件号码", "持卡人身份证号码"),
            required=True, kind="identifier")


@dataclass(frozen=True)
class DatasetSpec:
    kind: str
    agencies: tuple[str, ...]
    columns: tuple[Column, ...]
    date_column: str = ""
    related_id_column: str = ""
    account_column: str = ""
    summary: tuple[str, ...] = ()  # attrs shown in a hit, in order
    fields: dict = field(default_factory=dict)

    @property
    def all_columns(self) -> list[Column]:
        return [Column("序号", data=False), NAME, ID, *self.columns]

    @property
    def label(self) -> str:
        return DatasetKind(self.kind).label


def _c(name, *aliases, required=False, kind="compact") -> Column:
    return Column(name, tuple(aliases), required=required, kind=kind)


# Required are only the columns a dataset means nothing without (the date of a death, the state of a
# card); everything else is optional: the checks need the ID number (and those two), the rest is shown.
DATASETS: dict[str, DatasetSpec] = {s.kind: s for s in [
    DatasetSpec(DatasetKind.DEATHS, ("民政局", "公安局", "卫生健康委员会"), (
        _c("死亡日期", "死亡时间", "注销日期", "注销时间", "火化日期", "火化时间", required=True, kind="date"),
        _c("数据类别", "信息来源", "注销原因", "数据来源", kind="text"),
    ), date_column="死亡日期", summary=("数据类别",)),
    DatasetSpec(DatasetKind.HOUSEHOLD, ("公安局",), (
        _c("户号", "户编号"), _c("与户主关系", "关系", "与户主的关系"),
        _c("户籍地址", "住址", "地址", "户籍地详址", "住址详址", kind="text"),
        _c("户籍状态", "人员状态", "状态", "人口状态"), _c("变动日期", "迁移日期", "变动时间", kind="date"),
    ), date_column="变动日期", summary=("户籍状态", "户籍地址")),
    DatasetSpec(DatasetKind.STATE_PAID, ("财政局", "人力资源和社会保障局", "机构编制委员会办公室"), (
        _c("工作单位", "单位", "单位名称", "所在单位", "工作单位名称", "供职单位", kind="text"),
        _c("人员类别", "身份类别", "编制类型", "人员身份", "编制性质"),
    ), summary=("工作单位", "人员类别")),
    DatasetSpec(DatasetKind.CADRES, ("组织部", "民政局", "乡镇人民政府"), (
        _c("村(社区)", "所属村", "村名", "村委会", "村(居)委会"), _c("职务", "村干部职务", "担任职务"),
        _c("干部姓名", "村干部姓名"), _c("干部身份证号码", "村干部身份证号码", "干部身份证号", kind="identifier"),
        _c("与干部关系", "关系", "与村干部关系", "亲属关系"),
    ), related_id_column="干部身份证号码", summary=("村(社区)", "职务", "干部姓名", "与干部关系")),
    DatasetSpec(DatasetKind.VEHICLES, ("公安局",), (
        _c("号牌号码", "号牌", "车牌号", "车牌号码", "车牌"), _c("车辆类型", "车辆种类", "车型"),
        _c("初次登记日期", "登记日期", "注册登记日期", kind="date"),
    ), date_column="初次登记日期", summary=("号牌号码", "车辆类型")),
    DatasetSpec(DatasetKind.REAL_ESTATE, ("自然资源局", "不动产登记中心"), (
        _c("不动产权证号", "产权证号", "不动产权证书号", "权证号", "证书号"),
        _c("坐落", "不动产坐落", "房屋坐落", "坐落位置", "地址", kind="text"),
        _c("建筑面积", "面积(㎡)", "面积", "房屋面积", kind="number"), _c("登记日期", "登簿日期", kind="date"),
    ), date_column="登记日期", summary=("坐落", "建筑面积")),
    DatasetSpec(DatasetKind.BUSINESS, ("市场监督管理局",), (
        _c("企业名称", "市场主体名称", "主体名称", "名称", kind="text"), _c("统一社会信用代码", "信用代码", "注册号"),
        _c("登记角色", "人员类型", "身份"), _c("登记状态", "经营状态", "企业状态"), _c("成立日期", kind="date"),
    ), date_column="成立日期", summary=("企业名称", "登记角色", "登记状态")),
    DatasetSpec(DatasetKind.SSC_STATUS, ("人力资源和社会保障局",), (
        _c("金融账号", "社保卡号", "社会保障卡号", "社保卡金融账号", "社会保障卡金融账号", "银行账号", "卡号",
           kind="identifier"),
        _c("卡状态", "金融功能状态", "社保卡状态", "卡片状态", "状态", required=True),
        _c("发卡银行", "开户银行", "合作银行"),
    ), account_column="金融账号", summary=("卡状态", "发卡银行")),
]}


@dataclass(frozen=True)
class ReferenceHit:
    dataset: str
    dataset_label: str
    source_agency: str
    as_of: dt.date
    name: str
    event_date: dt.date | None
    attrs: dict
    summary: str


def _hit(record: ReferenceRecord) -> ReferenceHit:
    snap = record.snapshot
    spec = DATASETS[snap.dataset]
    parts = [str(record.attrs[k]) + ("㎡" if k == "建筑面积" else "") for k in spec.summary if record.attrs.get(k)]
    if record.event_date and spec.date_column:
        parts.insert(0, f"{spec.date_column}{record.event_date.isoformat()}")
    return ReferenceHit(
        dataset=snap.dataset, dataset_label=spec.label, source_agency=snap.source_agency, as_of=snap.as_of,
        name=record.name, event_date=record.event_date, attrs=record.attrs, summary="，".join(parts),
    )


def reference_hits(id_number: str, *, place_code: str | None = None) -> list[ReferenceHit]:
    """Rows of every current reference snapshot for this ID number (exact, via blind index).

    A lookup by exact ID used inside already-authorised reads (person page, comparison, API
    endpoints that check role and region); it takes no actor. `place_code` (a region code or
    prefix) keeps only snapshots whose region covers that place or lies within it.
    """
    bidx = vault().id_index((id_number or "").strip())
    if not bidx:
        return []
    records = (
        ReferenceRecord.objects.filter(id_bidx=bidx, snapshot__is_current=True)
        .select_related("snapshot").order_by("snapshot__dataset", "-snapshot__as_of", "id")
    )
    if place_code:
        records = [r for r in records if _overlaps(r.snapshot.region_id, place_code)]
    return [_hit(r) for r in records]


def _overlaps(region_code: str, place: str) -> bool:
    prefix = code_prefix(region_code)
    return place.startswith(prefix) or prefix.startswith(place)


def deaths_by_index(bidxs: Iterable[str], *, place_code: str | None = None) -> dict[str, tuple[dt.date | None, str]]:
    """Blind index -> (death date, agency) from the current death snapshots (batched IN queries).
    `place_code` (a region prefix; None: every snapshot, for system callers) keeps only snapshots whose
    region covers that place or lies within it, as reference_hits does: a caller of one county is never
    told that a person of another county died."""
    found: dict[str, tuple[dt.date | None, str]] = {}
    for chunk in chunks(set(bidxs)):
        for bidx, date, agency, region in ReferenceRecord.objects.filter(
            id_bidx__any=chunk, snapshot__is_current=True, snapshot__dataset=DatasetKind.DEATHS
        ).values_list("id_bidx", "event_date", "snapshot__source_agency", "snapshot__region_id"):
            if place_code and not _overlaps(region, place_code):
                continue
            if bidx not in found or (date and (found[bidx][0] is None or date < found[bidx][0])):
                found[bidx] = (date, agency)
    return found
