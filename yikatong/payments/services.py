"""Every write of payments (one transaction, one audit event, explicit actor).

    order_create(*, actor, batch_id, agreement_id=None)   finance: 支付申请, commits the quota
    order_release(*, actor, order_id)                     treasury: 国库支付, batch approved -> paying
    order_send(*, actor, order_id, connector=None)        treasury: payment file written, archived, delivered
    payment_file_download(*, actor, order_id)             treasury or the agent bank: the payment file, audited
    rejection_confirm(*, actor, order_id, note)           finance: the X file was checked with the bank
    payee_items_correct(*, actor, batch_id, corrections, reason)  township: fix payee data nothing at the bank holds
    order_resend(*, actor, order_id)                      after a confirmed rejection (X): new order, new batch_no
    bank_answer_ingest(*, actor, filename, data)          result (R) / rejection (X); replay changes nothing
    bank_inbox_collect(*, actor=None, connector=None)     ingest each answer in the inbox, then archive it
    reissue_create(*, actor, batch_id, corrections=None)  township: 补发 batch of the failed items
    order_item_write_off(*, actor, order_item_id, reason)  核销 a failed line (E08 after checking); may close the batch
    quota_clear(*, actor, quota_id, note="")              finance: 年终清算 of a quota, balance recovered
Banks and agreements: yikatong.payments.banks.
"""
from .ingest import Ingested, bank_answer_ingest
from .ingest import bank_inbox_collect  # ingest every answer in the inbox, then archive it
from .orders import order_create, order_release, order_resend, order_send, payment_file_download
from .reissue import reissue_create, order_item_write_off
from .clearing import quota_clear
from .rejections import rejection_confirm, payee_items_correct

__all__ = ["order_create", "payment_file_download", "order_release", "order_send", "order_resend", "bank_answer_ingest", "Ingested", "bank_inbox_collect", "reissue_create", "order_item_write_off",
           "rejection_confirm", "payee_items_correct", "quota_clear"]
