"""Exports of an approved report, made from its frozen JSON only (never from today's data): xlsx through
core.xlsx (XlsxWriter, the house's spreadsheet writer; openpyxl is not a dependency) and a print page (HTML
with print CSS; no PDF library is in pyproject: the browser prints it to PDF). The seeds name the form
(001 附件1《月监测表》) but do not reproduce its layout, so the columns are the figures of reports.figures,
one row per policy × region, amounts in yuan."""
from __future__ import annotations

from decimal import Decimal

from yikatong.core.xlsx import write_xlsx


def _cell(key: str, value):
    return Decimal(value) / 100 if key.endswith("_fen") else value


def _heading(key: str, label: str) -> str:
    return label.replace("(分)", "(元)") if key.endswith("_fen") else label


def _ratio(part, whole, scale: int = 100) -> Decimal | str:
    return round(Decimal(part) * scale / Decimal(whole), 1) if whole else ""


def _derived(r: dict) -> list:
    """Rates shown beside the sums (the content keeps only sums, so rows add up to the totals)."""
    return [_ratio(r["cards_active"], r["cards"]), _ratio(r["complaints_on_time"], r["complaints_answered"]),
            _ratio(Decimal(str(r["handling_hours"])), r["complaints_answered"], 1)]


DERIVED = ["社保卡激活率(%)", "按期答复率(%)", "平均答复用时(小时)"]


def table(content: dict) -> tuple[list[str], list[list]]:
    """Headings and rows (the totals row last) of a report's main table (amounts in yuan)."""
    columns = content["columns"]
    headers = ["补贴项目代码", "补贴项目", "区划代码", "区划"] + [_heading(k, label) for k, label in columns] + DERIVED
    rows = [[r["policy_code"], r["policy"], r["region_code"], r["region"]] + [_cell(k, r[k]) for k, _ in columns]
            + _derived(r) for r in content["rows"]]
    totals = content["totals"]
    rows.append(["", "合计", "", ""] + [_cell(k, totals[k]) for k, _ in columns] + _derived(totals))
    return headers, rows


def xlsx(frozen: dict, sha256: str) -> bytes:
    headers, rows = table(frozen["content"])
    quotas = frozen["content"]["quotas"]
    footer = [f"资金指标使用（{frozen['period'][:4]}年度，生成时）："]
    footer += [f"{q['policy_code']} {q['policy']}：指标 {Decimal(q['received_fen']) / 100} 元，已占用 "
               f"{Decimal(q['committed_fen']) / 100} 元，已支付 {Decimal(q['paid_fen']) / 100} 元，"
               f"使用率 {_ratio(q['paid_fen'], q['received_fen']) or 0}%" for q in quotas]
    footer += [f"填报说明：{frozen['remarks'] or '无'}",
               f"填报单位：{frozen['organization']}；报送人：{frozen['submitted_by']}；审核人：{frozen.get('approved_by', '')}",
               f"报送对象：{frozen['next_level']}；报送期限：{frozen['due_on']}",
               f"锁定内容 SHA-256：{sha256}"]
    return write_xlsx(headers, rows, title=f"{frozen['title']}（{frozen['region']} {frozen['period']}）",
                      sheet_name=frozen["period"], footer=footer, text_columns=(0, 2))


def filename(frozen: dict, ext: str) -> str:
    return f"{frozen['title']}-{frozen['organization']}-{frozen['period']}.{ext}"
