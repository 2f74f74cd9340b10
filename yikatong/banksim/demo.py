"""Demo: the rosters demo's finance-approved batch paid through the whole cycle. Idempotent.

Lives with the bank simulator (demo and test settings only), so payments never imports the simulator.

Agent bank and agreement (as admin) -> payment order (finance) -> treasury release and payment
file to the outbox (treasury) -> the BANK SIMULATOR (this app, called in-process) answers
with a few items failed under different reason codes -> result ingested (treasury) -> the station
corrects the failures and the reissue batch runs the Haicheng error flow (station -> finance
office re-compares -> department re-reviews -> finance re-checks) -> reissue paid -> SMS notices
delivered -> the month's reconciliation checked balanced.

Runs only when the approved batch has no payment order yet: a second `yikatong demo` changes nothing.
"""
from __future__ import annotations

import hashlib
import os
import time

from django.core.files.base import ContentFile
from django.utils import timezone

# Items of the demo batch the simulated bank fails, by position in the file, and how the
# station fixes each: E01 gets a corrected account number, the others are paid again as they are.
FAILURES = {2: "E01", 5: "E05", 9: "E04"}
DEMO_BANK_CODE = "NXS{county}"


def _demo_pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII): the demo's signed three-party agreement."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = [b"%PDF-1.4\n"], []
    for n, body in enumerate(objects, 1):
        offsets.append(sum(map(len, out)))
        out.append(b"%d 0 obj\n%s\nendobj\n" % (n, body))
    xref = sum(map(len, out))
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out += [b"%010d 00000 n \n" % o for o in offsets]
    out.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return b"".join(out)


DEMO_AGREEMENT_PDF = _demo_pdf("DEMO three-party agent-bank agreement (finance bureau, department, bank)")


def _demo_mac_key(county_code: str) -> bytes:
    """A fixed key for the demo agreement (a real one is exchanged with the bank offline)."""
    return hashlib.sha256(f"yikatong-demo-mac-key:{county_code}".encode()).digest()


def _corrected_card(seed: str) -> str:
    from stdnum.luhn import calc_check_digit

    body = "6228480" + str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:11]
    return body + calc_check_digit(body)


def _bank_and_agreement(county_code: str, users: dict):
    from yikatong.accounts.models import Organization
    from yikatong.core.profiles import current_profile

    from yikatong.payments import banks as exchange
    from yikatong.payments.models import AgentBank, BankAgreement

    admin, finance_org = users["admin"], users["czj_ks"].organization
    bank_org = Organization.objects.get(code=f"{county_code}-BANK")
    bank = AgentBank.objects.filter(organization=bank_org).first()
    if bank is None:
        bank = exchange.agent_bank_create(actor=admin, code=DEMO_BANK_CODE.format(county=county_code),
                                          name=bank_org.name[:100], organization=bank_org)
    agreement = BankAgreement.objects.filter(bank=bank, payer=finance_org).first()
    if agreement is None:
        three_party = current_profile().three_party_agreement
        department = Organization.objects.get(code=f"{county_code}-MZ") if three_party else None
        # the signed text is kept whatever the profile (a two-party agreement is signed too)
        document = ContentFile(DEMO_AGREEMENT_PDF, name="三方代发协议.pdf" if three_party else "代发协议.pdf")
        agreement = exchange.agreement_create(
            actor=admin, bank=bank, payer=finance_org, payer_account=f"8{county_code}000000001",
            payer_name=finance_org.name[:60], mac_key=_demo_mac_key(county_code),
            valid_from=timezone.localdate().replace(month=1, day=1), department=department, document=document)
    return agreement


def _pay(order, users, fail_seq: dict[int, str]):
    """Release, send to the outbox, let the simulated bank answer, ingest the answer."""
    from django.conf import settings

    from yikatong.jobs.models import Job
    from yikatong.jobs.services import run as run_job
    from yikatong.payments import services
    from yikatong.payments.exchange.connector import PROCESSED, private_dir

    from .options import SimOptions
    from .services import payment_file_process

    treasury = users["guoku"]
    services.order_release(actor=treasury, order_id=order.pk)
    order = services.order_send(actor=treasury, order_id=order.pk)
    outbox = settings.YKT_BANK_OUTBOX
    path = outbox / order.payment_file.filename
    # The bank simulator takes the file from the outbox (as `yikatong banksim run` would) and answers.
    answer = payment_file_process(actor=None, filename=path.name, data=path.read_bytes(),
                                  options=SimOptions(fail_seq=fail_seq))
    private_dir(outbox / PROCESSED)
    os.replace(path, outbox / PROCESSED / path.name)
    order = services.bank_answer_ingest(actor=treasury, filename=answer.filename, data=answer.data).order
    job = Job.objects.filter(key=f"payments:sms:{order.pk}").order_by("-pk").first()
    run_job(job.pk)  # the demo shows the notices at once instead of waiting for a worker
    return order


def _walk_reissue(reissue, users):
    """The reissue through its profile's own steps (rosters.demo.walk reads the profile's table)."""
    from yikatong.rosters.demo import walk

    walk(reissue, users, reissue.region, "approved")
    return type(reissue).objects.get(pk=reissue.pk)


def build(county_code: str, *, size: int, stdout) -> None:
    from yikatong.accounts.models import User
    from yikatong.rosters.flows import state_label
    from yikatong.rosters.models import Batch, BatchKind

    from yikatong.payments import services
    from yikatong.payments.models import PaymentOrder
    from yikatong.payments.reconcile import statement
    from yikatong.payments.selectors import orders_for
    from yikatong.payments.sms import sms_deliver

    names = ["admin", "czj_ks", "guoku", "zhan", "czs", "mz_shenhe"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < len(names) or users["zhan"].region is None:
        stdout.write("代发支付：缺少演示用户，跳过")
        return
    batches = Batch.objects.filter(region=users["zhan"].region, kind=BatchKind.NORMAL).order_by("period", "pk")
    if PaymentOrder.objects.filter(batch__in=batches).exists():
        stdout.write("代发支付：已存在，未改动")
        return
    batch = batches.filter(state="approved").first()
    if batch is None:
        stdout.write("代发支付：没有财政已审核的发放批次，跳过")
        return
    started = time.perf_counter()
    agreement = _bank_and_agreement(county_code, users)
    order = services.order_create(actor=users["czj_ks"], batch_id=batch.pk, agreement_id=agreement.pk)
    fail_seq = {seq: code for seq, code in FAILURES.items() if seq <= order.item_count}
    order = _pay(order, users, fail_seq)
    failed = list(order.items.filter(status="failed").order_by("seq"))
    corrections = {line.item_ref: {"account": _corrected_card(line.item_ref)}
                   for line in failed if line.reason_code == "E01"}
    reissue = services.reissue_create(actor=users["zhan"], batch_id=batch.pk, corrections=corrections)
    reissue = _walk_reissue(reissue, users)
    order2 = services.order_create(actor=users["czj_ks"], batch_id=reissue.pk, agreement_id=agreement.pk)
    order2 = _pay(order2, users, {})
    sent, _ = sms_deliver(limit=10_000)
    today = timezone.localdate()
    report = statement(orders_for(users["czj_ks"]), year=today.year, month=today.month)
    batch.refresh_from_db()
    codes = "、".join(f"{line.reason_code}" for line in failed)
    stdout.write(
        f"代发支付：批次 {batch.code} 代发 {order.item_count} 笔（失败 {len(failed)} 笔：{codes}），补发批次 {reissue.code} "
        f"{order2.paid_count} 笔已发放，原批次“{state_label(batch.state)}”；"
        f"短信 {sent} 条；本月对账{'平衡' if report.balanced else '不平衡'}；用时 {time.perf_counter() - started:.1f} 秒")
