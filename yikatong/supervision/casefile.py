"""The case file (案卷) of a clue: one xlsx (clue, finding, rule, item with masked ID and account,
batch, the rule's evidence as JSON, disposition evidence, timeline — for a complaint's clue its tracking
number and subject instead of the finding) zipped with the evidence files.
Built on demand, so the timeline is current; personal values appear only masked."""
import io
import json
import zipfile

from django.utils import timezone

from yikatong.checks.evidence import content_of
from yikatong.core.masking import mask_personal
from yikatong.core.money import Money
from yikatong.core.xlsx import write_xlsx

HEADERS = ("栏目", "项目", "内容")


def _who(user) -> str:
    return (getattr(user, "full_name", "") or user.get_username()) if user else ""


def _when(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def rows(clue) -> list[tuple[str, str, str]]:
    out = [
        ("线索", "线索编号", clue.case_no), ("线索", "来源", clue.get_source_display()),
        ("线索", "状态", clue.get_state_display()),
        ("线索", "移送人", _who(clue.transferred_by)), ("线索", "移送时间", _when(clue.transferred_at)),
        ("线索", "移送理由", clue.reason),
        ("线索", "核查结论", clue.get_conclusion_display() if clue.conclusion else ""),
        ("线索", "结论说明", clue.conclusion_text),
    ]
    if clue.finding_id:
        out += _finding_rows(clue.finding)
    else:  # a complaint's clue (投诉举报): its tracking number and subject, read in full in the disclosure app
        out += [("投诉举报", "受理编号", clue.source_ref), ("投诉举报", "摘要", clue.subject),
                ("投诉举报", "所在地", clue.region.name)]
    out += _recovery_rows(clue)
    for entry in clue.entries.select_related("actor"):
        out.append(("时间线", f"{_when(entry.at)} {_who(entry.actor)}", f"{entry.get_kind_display()}：{entry.text}"))
    return out


def _finding_rows(f) -> list[tuple[str, str, str]]:
    out = [
        ("疑点", "疑点编号", f"#{f.pk}"), ("疑点", "级别", f.get_severity_display()), ("疑点", "疑点描述", f.message),
        ("疑点", "状态", f.get_state_display()), ("疑点", "首次发现", _when(f.first_seen_at)),
        ("疑点", "处置人", _who(f.disposed_by)), ("疑点", "处置时间", _when(f.disposed_at)),
        ("规则", "规则代码", f.rule.code), ("规则", "规则名称", f.rule.name), ("规则", "规则版本", str(f.rule_version)),
        ("规则", "说明", f.rule.description), ("规则", "读取的数据", "、".join(f.rule.datasets)),
        ("规则", "参数", json.dumps(f.rule.params, ensure_ascii=False, sort_keys=True)),
    ]
    if f.item_id:
        it = f.item
        out += [("发放明细", "序号", str(it.seq)), ("发放明细", "姓名", it.name),
                ("发放明细", "身份证号码", it.id_masked), ("发放明细", "银行账号", it.account_masked),
                ("发放明细", "金额(元)", Money.from_fen(it.amount_fen).yuan_str()), ("发放明细", "状态", it.status)]
    if f.batch_id:
        b = f.batch
        out += [("批次", "批次号", b.code), ("批次", "补贴项目", b.policy.name), ("批次", "发放期间", b.period),
                ("批次", "乡镇", b.region.name), ("批次", "状态", b.state), ("批次", "人数", str(b.item_count)),
                ("批次", "金额(元)", Money.from_fen(b.total_fen).yuan_str())]
    out.append(("比对依据", "JSON", json.dumps(mask_personal(f.evidence), ensure_ascii=False, sort_keys=True)))
    for e in f.evidence_items.all():
        if e.filename:
            out.append(("处置依据", "文件", f"{e.filename}（{e.size} 字节，SHA-256 {e.sha256}）"))
        else:
            out.append(("处置依据", "说明", e.text))
    return out


def _recovery_rows(clue) -> list[tuple[str, str, str]]:
    """The recoveries attached to the clue (追回), their repayments and the sanctions (处理处分) recorded."""
    out = []
    for r in clue.recoveries.order_by("pk"):
        head = f"追回 {r.recovery_no}"
        out += [(head, "状态", r.get_state_display()), (head, "追回对象", r.debtor_masked),
                (head, "已发放(元)", Money.from_fen(r.paid_fen).yuan_str()),
                (head, "应追回(元)", Money.from_fen(r.amount_fen).yuan_str()),
                (head, "已追回(元)", Money.from_fen(r.repaid_fen).yuan_str()),
                (head, "追回期限", f"{r.due_on:%Y-%m-%d}"), (head, "追回理由", r.reason)]
        if r.write_off_reason:
            out.append((head, "核销理由", r.write_off_reason))
        for p in r.repayments.select_related("recorded_by"):
            out.append((head, f"缴回 {p.repaid_on:%Y-%m-%d}",
                        f"{Money.from_fen(p.amount_fen).yuan_str()} 元，凭证号 {p.voucher_no}，{p.evidence_name}"
                        f"（SHA-256 {p.evidence_sha256}），登记人 {_who(p.recorded_by)}"))
        out += [(head, f"处理处分 {s.decided_on:%Y-%m-%d}", f"{s.position}：{s.get_measure_display()}（{s.doc_number}）")
                for s in r.sanctions.all()]
    out += [("处理处分", f"{s.decided_on:%Y-%m-%d}", f"{s.position}：{s.get_measure_display()}（{s.doc_number}）")
            for s in clue.sanctions.all()]
    return out


def build(clue) -> tuple[str, bytes, list[str]]:
    """(zip name, zip bytes, names inside)."""
    clue = type(clue).objects.select_related(
        "finding__rule", "finding__item", "finding__batch__policy", "finding__batch__region", "finding__disposed_by",
        "transferred_by", "region").get(pk=clue.pk)
    sheet = write_xlsx(HEADERS, rows(clue), title=f"线索案卷 {clue.case_no}", sheet_name="案卷", text_columns=(0, 1, 2))
    names = ["案卷.xlsx"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("案卷.xlsx", sheet)
        evidence = clue.finding.evidence_items.exclude(filename="") if clue.finding_id else []
        for n, e in enumerate(evidence, 1):
            name = f"依据/{n:02d}-{e.filename}"
            z.writestr(name, content_of(e))
            names.append(name)
        for r in clue.recoveries.order_by("pk"):
            for n, p in enumerate(r.repayments.all(), 1):
                name = f"缴回凭证/{r.recovery_no}-{n:02d}-{p.evidence_name}"
                z.writestr(name, p.evidence())
                names.append(name)
    return f"案卷-{clue.case_no}.zip", buf.getvalue(), names
