"""The supervision views as xlsx (core.xlsx writer); amounts in yuan from integer fen."""
from django.utils import timezone

from yikatong.checks.models import FindingState, Severity
from yikatong.core.money import Money
from yikatong.core.xlsx import write_xlsx

from . import selectors


def _yuan(fen: int) -> str:
    return Money.from_fen(fen).yuan_str()


def findings_xlsx(actor, by: str, *, year: str = "") -> bytes:
    what = selectors.DIMENSIONS[by][0]
    headers = [f"{what}代码", what, "疑点数", *[f"{l}" for _, l in FindingState.choices],
               *[f"{l}级" for _, l in Severity.choices], "涉及金额(元)"]
    rows = [[r["key"], r["label"], r["total"], *r["states"], *r["severities"], _yuan(r["amount_fen"])]
            for r in selectors.findings_by(actor, by, year=year)]
    return write_xlsx(headers, rows, title=f"比对疑点统计（按{what}）{year}", sheet_name=f"按{what}",
                      text_columns=(0, len(headers) - 1))


def trends_xlsx(actor, *, year: str = "") -> bytes:
    rows = [[r["month"], r["raised"], r["disposed"]] for r in selectors.trends(actor, year=year)]
    return write_xlsx(["月份", "新发现疑点", "已处置疑点"], rows, title=f"疑点发现与处置趋势 {year}", sheet_name="趋势",
                      text_columns=(0,))


def clues_xlsx(actor, **filters) -> bytes:
    rows = []
    for c in selectors.clues_for(actor, **filters)[:10000]:
        f = c.finding  # None for a complaint's clue (投诉举报): its subject stands for the finding's message
        rows.append([c.case_no, c.get_state_display(), c.get_conclusion_display() if c.conclusion else "",
                     f.rule.name if f else "投诉举报", f.batch.code if f and f.batch_id else "", c.region.name,
                     f"第{f.item.seq}条 {f.item.id_masked}" if f and f.item_id else "",
                     _yuan(f.item.amount_fen) if f and f.item_id else "", f.message if f else c.subject,
                     timezone.localtime(c.transferred_at).strftime("%Y-%m-%d %H:%M"), c.reason,
                     c.get_source_display(), c.source_ref])
    headers = ["线索编号", "状态", "核查结论", "规则", "批次", "乡镇", "明细", "金额(元)", "疑点描述", "移送时间", "移送理由",
               "来源", "受理编号"]
    return write_xlsx(headers, rows, title="移送线索清单", sheet_name="线索", text_columns=(0, 4, 6, 7, 12))
