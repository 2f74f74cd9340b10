"""Every write of payments (one transaction, one audit event, explicit actor).

    create_order(*, actor, batch_id, agreement_id=None)   finance: 支付申请, commits the quota
    release(*, actor, order_id)                           treasury: 国库支付, batch approved -> paying
    send(*, actor, order_id, connector=None)              treasury: payment file written, archived, delivered
    confirm_rejection(*, actor, order_id, note)           finance: the X file was checked with the bank
    correct_payee_items(*, actor, batch_id, corrections, reason)  township: fix payee data nothing at the bank holds
    resend(*, actor, order_id)                            after a confirmed rejection (X): new order, new batch_no
    ingest(*, actor, filename, data)                      result (R) / rejection (X); replay changes nothing
    collect(*, actor=None, connector=None)                ingest each answer in the inbox, then archive it
    create_reissue(*, actor, batch_id, corrections=None)  township: 补发 batch of the failed items
    write_off(*, actor, order_item_id, reason)            核销 a failed line (E08 after checking); may close the batch
    clear_quota(*, actor, quota_id, note="")              finance: 年终清算 of a quota, balance recovered
Banks and agreements: yikatong.payments.banks.
"""
from .ingest import Ingested, ingest
from .ingest import collect_inbox as collect  # ingest every answer in the inbox, then archive it
from .orders import create_order, release, resend, send
from .reissue import create_reissue, write_off
from .clearing import clear_quota
from .rejections import confirm_rejection, correct_payee_items

__all__ = ["create_order", "release", "send", "resend", "ingest", "Ingested", "collect", "create_reissue", "write_off",
           "confirm_rejection", "correct_payee_items", "clear_quota"]
