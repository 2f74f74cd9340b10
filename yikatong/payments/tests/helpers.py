"""Driving a batch through payment in tests: order, treasury release, send, the simulated bank, ingest."""
from yikatong.banksim.options import SimOptions
from yikatong.banksim.services import process_payment_file
from yikatong.core.profiles import get_profile
from yikatong.payments import services
from yikatong.rosters.tests.flow_helpers import do


def pay_round(batch, pw, options: SimOptions | None = None, connector=None):
    """create -> release -> send -> bank answers -> ingest. Returns (order, answer filename, answer bytes)."""
    u = pw.users
    order = services.create_order(actor=u["fin"], batch_id=batch.pk)
    return send_and_answer(order, pw, options, connector)


def send_and_answer(order, pw, options=None, connector=None):
    u = pw.users
    connector = connector or pw.connector
    services.release(actor=u["gk"], order_id=order.pk)
    order = services.send(actor=u["gk"], order_id=order.pk, connector=connector)
    data = (connector.outbox / order.payment_file.filename).read_bytes()
    answer = process_payment_file(actor=None, filename=order.payment_file.filename, data=data,
                                  options=options or SimOptions())
    result = services.ingest(actor=u["gk"], filename=answer.filename, data=answer.data)
    assert result.created
    return result.order, answer.filename, answer.data


def walk_reissue_to_approved(reissue, pw):
    """Haicheng error flow: station re-submits -> finance office re-compares -> department -> finance."""
    u = pw.users
    if get_profile(reissue.profile_code).township_verify_working_days:
        reissue = do(reissue, u["zhan"], "start_verify")
        reissue = do(reissue, u["zhan"], "verified")
    for user, action in [("zhan", "send_compare"), ("czs", "compare_pass"), ("zhan", "submit"),
                         ("mz_rev", "approve_reissue"), ("fin", "finance_approve")]:
        reissue = do(reissue, u[user], action)
    assert reissue.state == "approved"
    return reissue
