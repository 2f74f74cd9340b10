"""Official layouts: the import template, the roster (发放清册), the summary (汇总表, per village
and total) and the notice sheet (公示表: names, masked IDs, policy, standard, amount only)."""
from collections import OrderedDict

from yikatong.core.money import Money
from yikatong.core.xlsx import write_xlsx

from .importer.spec import TEMPLATE_HEADERS

SIGNATURES = ["经办人：__________    审核人：__________    乡镇负责人（签字盖章）：__________    日期：____年__月__日"]


def title_of(batch, what: str) -> str:
    return f"{batch.region.name}{batch.period}{batch.policy.name}{what}"


def template_xlsx(batch) -> bytes:
    return write_xlsx(TEMPLATE_HEADERS, [], title=title_of(batch, "发放清册"), sheet_name="发放清册",
                      footer=["合计", *SIGNATURES], text_columns=[2, 6, 8])


def roster_rows(batch):
    for it in batch.items.filter(status="active").select_related("village").order_by("seq"):
        yield [it.seq, it.name, it.id_masked, it.village.name if it.village else "", it.account_masked,
               str(it.quantity.normalize()), Money.from_fen(it.standard_fen).yuan_str() if it.standard_fen else "",
               Money.from_fen(it.amount_fen).yuan_str(), it.memo]


ROSTER_HEADERS = ["序号", "姓名", "身份证号码", "村(社区)", "银行账号", "补贴数量", "补贴标准(元)", "发放金额(元)", "备注"]


def roster_xlsx(batch) -> bytes:
    rows = list(roster_rows(batch))
    footer = [f"合计：{len(rows)}人，{Money.from_fen(batch.total_fen)}", *SIGNATURES]
    return write_xlsx(ROSTER_HEADERS, rows, title=title_of(batch, "发放清册"), sheet_name="发放清册", footer=footer,
                      text_columns=[2, 4])


def excluded(batch) -> list[dict]:
    """Active items a confirmed finding (or one transferred as a clue, until the case is closed) holds
    out of payment (DESIGN §6.9): shown apart in the 汇总表 with the reason, never in its totals."""
    from . import hooks

    held = hooks.held_items(batch)  # filled by checks (checks.selectors.held_items)
    if held is None:
        return []
    rows = []
    for it in held.select_related("village"):
        how = "疑点已移送线索，核查办结前不予发放" if it.held_state == "transferred" else "疑点已确认，不予发放"
        rows.append({"seq": it.seq, "name": it.name, "id_masked": it.id_masked, "item_id": it.pk,
                     "village": it.village.name if it.village else "（未填村）", "fen": it.amount_fen,
                     "yuan": Money.from_fen(it.amount_fen).yuan_str(), "reason": f"{how}：{it.held_rule}"})
    return rows


def summary(batch, held: list[dict] | None = None) -> list[dict]:
    """Per village: count and amount of the items to be paid (held ones left out, see `excluded`);
    the last row is the total."""
    held_ids = {h["item_id"] for h in (excluded(batch) if held is None else held)}
    acc: OrderedDict[str, dict] = OrderedDict()
    for it in batch.items.filter(status="active").exclude(pk__in=held_ids).select_related("village").order_by(
            "village_id", "seq"):
        key = it.village.name if it.village else "（未填村）"
        row = acc.setdefault(key, {"village": key, "count": 0, "fen": 0})
        row["count"] += 1
        row["fen"] += it.amount_fen
    rows = list(acc.values())
    rows.append({"village": "合计", "count": sum(r["count"] for r in rows), "fen": sum(r["fen"] for r in rows)})
    for r in rows:
        r["yuan"] = Money.from_fen(r["fen"]).yuan_str()
    return rows


def summary_xlsx(batch) -> bytes:
    held = excluded(batch)
    rows = [[r["village"], r["count"], r["yuan"], ""] for r in summary(batch, held)]
    if held:
        rows.append(["不予发放明细（已剔除，不计入合计）", len(held),
                     Money.from_fen(sum(h["fen"] for h in held)).yuan_str(), ""])
        rows += [[f"第{h['seq']}条 {h['name']} {h['id_masked']}（{h['village']}）", 1, h["yuan"], h["reason"]]
                 for h in held]
    return write_xlsx(["村(社区)", "人数", "金额(元)", "备注"], rows, title=title_of(batch, "发放汇总表"),
                      sheet_name="汇总表", footer=SIGNATURES)


def notice_rows(batch):
    """For the village board: no account numbers, no full IDs, no phones."""
    for it in batch.items.filter(status="active").select_related("village").order_by("village_id", "seq"):
        yield {"seq": it.seq, "name": it.name, "id_masked": it.id_masked, "village": it.village.name if it.village else "",
               "standard": Money.from_fen(it.standard_fen).yuan_str() if it.standard_fen else "",
               "amount": Money.from_fen(it.amount_fen).yuan_str()}
