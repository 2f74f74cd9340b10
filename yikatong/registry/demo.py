"""Demo data of the register: a synthetic population of the demo county and the reference
datasets of other agencies for it. Idempotent: nothing happens if the county has people.

Everything goes through the real services (register import, reference loads), as an
operator would do it; the random generator is seeded, so every run builds the same county.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import tempfile
import time
from pathlib import Path

from yikatong.core.csvfile import csv_writer
from yikatong.regions.models import Region
from yikatong.regions.selectors import subtree

from . import services
from .choices import DatasetKind
from .models import Person
from .synthetic import REGISTER_HEADERS, Population, card_number, register_row

AS_OF = dt.date(2026, 10, 31)


def _csv(headers: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv_writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build(county_code: str, *, size: int = 20000, stdout=None) -> dict:
    write = stdout.write if stdout is not None else (lambda *_: None)
    county = Region.objects.get(code=Region.full_code(county_code))
    if Person.objects.filter(village__code__startswith=county.prefix).exists():
        write(f"补贴对象底册：{county.name}已有演示人口，跳过")
        return {"skipped": True}
    started = time.monotonic()
    villages = list(subtree(county).filter(level=5).values_list("code", flat=True))
    pop = Population(county.prefix, villages, seed=int(county.prefix))
    members = [m for hh in pop.households(size) for m in hh]
    with tempfile.TemporaryDirectory(prefix="ykt-demo-") as tmp:
        path = Path(tmp) / f"{county.name}补贴对象底册.csv"
        path.write_bytes(_csv(REGISTER_HEADERS, [register_row(i, m) for i, m in enumerate(members, 1)]))
        first = services.register_file_import(actor=None, path=path, region_code=county.prefix)
        changes = _changes(members, random.Random(size))
        path2 = Path(tmp) / "底册变动（演示）.csv"
        path2.write_bytes(_csv(REGISTER_HEADERS, [register_row(i, m) for i, m in enumerate(changes, 1)]))
        second = services.register_file_import(actor=None, path=path2, region_code=county.prefix)
    loaded = _reference(county, members, random.Random(int(county.prefix) + 1))
    seconds = time.monotonic() - started
    write(
        f"补贴对象底册：{county.name}演示人口 {first.created} 人，变动 {second.updated} 人；"
        f"共享比对数据 {sum(loaded.values())} 行（{len(loaded)} 个数据集），用时 {seconds:.1f} 秒"
    )
    return {"people": first.created, "changed": second.updated, "reference": loaded, "seconds": round(seconds, 1)}


def _changes(members, rng: random.Random) -> list:
    """A second register file: a few card reissues, deaths and moves, so people have history."""
    picked = rng.sample([m for m in members if m.status == "正常"], min(60, len(members) // 10))
    for i, m in enumerate(picked):
        if i % 3 == 0:
            m.card = card_number(rng, m.card[:6])  # new card (account change)
        elif i % 3 == 1:
            m.status, m.status_date = "死亡", AS_OF - dt.timedelta(days=rng.randrange(10, 200))
        else:
            m.card_status = "挂失"
    return picked


def _reference(county: Region, members, rng: random.Random) -> dict[str, int]:
    alive = [m for m in members if m.status == "正常"]
    adults = [m for m in alive if (AS_OF - m.birth).days > 18 * 365]
    name = county.name
    sets: list[tuple[str, str, list[str], list[list]]] = []
    # deaths: those the register knows, plus some it does not know yet
    unknown = rng.sample(alive, max(1, len(alive) // 300))
    deaths = [[m.name, m.id_number, (m.status_date or AS_OF).isoformat(), "火化"] for m in members if m.status == "死亡"]
    deaths += [[m.name, m.id_number, (AS_OF - dt.timedelta(days=rng.randrange(5, 120))).isoformat(), "火化"] for m in unknown]
    sets.append((DatasetKind.DEATHS, "民政局", ["姓名", "身份证号码", "死亡日期", "数据类别"], deaths))
    status = {"正常": "正常", "死亡": "死亡注销", "迁出": "迁出"}
    sets.append((DatasetKind.HOUSEHOLD, "公安局", ["姓名", "身份证号码", "户号", "与户主关系", "户籍状态", "变动日期"], [
        [m.name, m.id_number, m.household, m.relation, status[m.status], m.status_date.isoformat() if m.status_date else ""]
        for m in members
    ]))
    units = [f"{name}第一中学", f"{name}人民医院", f"{name}农业农村局", f"{name}财政局"]
    sets.append((DatasetKind.STATE_PAID, "财政局", ["姓名", "身份证号码", "工作单位", "人员类别"], [
        [m.name, m.id_number, rng.choice(units), rng.choice(["在职", "在职", "退休"])]
        for m in rng.sample(adults, len(adults) // 70)
    ]))
    cadres, heads = [], {}
    for m in members:
        heads.setdefault(m.village, []).append(m)
    for village, people in heads.items():
        household_heads = [m for m in people if m.relation == "户主" and m.status == "正常"]
        for post in ("村党支部书记", "村民委员会主任", "村会计")[: len(household_heads)]:
            cadre = household_heads.pop(rng.randrange(len(household_heads)))
            for rel in (m for m in people if m.household == cadre.household):
                relation = "本人" if rel is cadre else {"配偶": "配偶", "子": "子女", "女": "子女"}.get(rel.relation, "其他亲属")
                cadres.append([rel.name, rel.id_number, village, post, cadre.name, cadre.id_number, relation])
    sets.append((DatasetKind.CADRES, "组织部", ["姓名", "身份证号码", "村(社区)", "职务", "干部姓名", "干部身份证号码", "与干部关系"], cadres))
    sets.append((DatasetKind.VEHICLES, "公安局", ["姓名", "身份证号码", "号牌号码", "车辆类型", "初次登记日期"], [
        [m.name, m.id_number, f"晋L·{rng.choice('ABCDEFG')}{rng.randrange(10000, 99999)}", rng.choice(["小型轿车", "轻型货车", "三轮汽车"]),
         (AS_OF - dt.timedelta(days=rng.randrange(100, 4000))).isoformat()]
        for m in rng.sample(adults, len(adults) // 12)
    ]))
    sets.append((DatasetKind.REAL_ESTATE, "不动产登记中心", ["姓名", "身份证号码", "不动产权证号", "坐落", "建筑面积"], [
        [m.name, m.id_number, f"晋(2024){name}不动产权第{rng.randrange(1000000, 9999999)}号", f"{name}城区{rng.randrange(1, 300)}号",
         str(rng.randrange(60, 180))]
        for m in rng.sample(adults, len(adults) // 10)
    ]))
    sets.append((DatasetKind.BUSINESS, "市场监督管理局", ["姓名", "身份证号码", "企业名称", "登记角色", "登记状态"], [
        [m.name, m.id_number, f"{name}{m.name}{rng.choice(['农资店', '养殖场', '商贸有限公司'])}", rng.choice(["经营者", "法定代表人"]), "存续"]
        for m in rng.sample(adults, len(adults) // 35)
    ]))
    card = {"正常": "正常", "未激活": "未激活", "挂失": "挂失"}
    sets.append((DatasetKind.SSC_STATUS, "人力资源和社会保障局", ["姓名", "身份证号码", "金融账号", "卡状态", "发卡银行"], [
        [m.name, m.id_number, m.card, card.get(m.card_status, "正常") if rng.random() > 0.005 else "挂失", m.bank]
        for m in members if m.status != "死亡"
    ]))
    loaded = {}
    for dataset, agency, headers, rows in sets:
        snap = services.reference_load(actor=None, dataset=dataset, source_agency=agency, as_of=AS_OF,
                                       source=_csv(headers, rows), file_name=f"{DatasetKind(dataset).label}.csv",
                                       region_code=county.prefix)
        loaded[dataset] = snap.row_count
    return loaded
