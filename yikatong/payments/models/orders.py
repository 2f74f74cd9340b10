"""Payment orders (支付申请), their lines, the paid origins and the reissued lines."""
from django.db import models

from .banks import BankAgreement
from .files import BankFile


class OrderState(models.TextChoices):
    CREATED = "created", "已生成（待国库科支付）"
    RELEASED = "released", "国库科已支付，待发送银行"
    SENT = "sent", "已发送银行，待回盘"
    ANSWERED = "answered", "银行已回盘"
    REJECTED = "rejected", "银行整批拒收"


class PaymentOrder(models.Model):
    """支付申请/凭证: one batch paid through one agreement under one bank batch number.

    A file-level rejection ends an order (state rejected); the batch is then paid by a new order
    that `replaces` it, under a new batch number. At most one live (not rejected) order per batch.
    """

    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="payment_orders",
                              verbose_name="发放批次")
    agreement = models.ForeignKey(BankAgreement, on_delete=models.PROTECT, related_name="orders", verbose_name="代发协议")
    batch_no = models.CharField("银行批次号", max_length=30, unique=True)
    state = models.CharField("状态", max_length=10, choices=OrderState.choices, default=OrderState.CREATED,
                             db_index=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by",
                                    verbose_name="重发自（被拒收的支付申请）")
    item_count = models.PositiveIntegerField("笔数")
    total_fen = models.BigIntegerField("金额（分）")
    paid_count = models.PositiveIntegerField("成功笔数", default=0)
    paid_fen = models.BigIntegerField("成功金额（分）", default=0)
    failed_count = models.PositiveIntegerField("失败笔数", default=0)
    failed_fen = models.BigIntegerField("失败退回金额（分）", default=0)
    business_date = models.DateField("业务日期", null=True, blank=True)
    rejection_code = models.CharField("拒收代码", max_length=3, blank=True)
    rejection_text = models.CharField("拒收说明", max_length=300, blank=True)
    # A rejection file carries no MAC (spec): before a resend a finance user confirms it with the bank.
    rejection_confirmed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                               related_name="+", verbose_name="拒收核实人")
    rejection_confirmed_at = models.DateTimeField("拒收核实时间", null=True, blank=True)
    rejection_confirm_note = models.CharField("拒收核实说明", max_length=200, blank=True)
    payment_file = models.OneToOneField(BankFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        verbose_name="代发文件")
    answer_file = models.OneToOneField(BankFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       verbose_name="回盘/拒收文件")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    released_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField("国库支付时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    answered_at = models.DateTimeField("回盘时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "支付申请"
        constraints = [
            models.UniqueConstraint(fields=["batch"], condition=~models.Q(state="rejected"),
                                    name="paymentorder_one_live_per_batch"),
            models.CheckConstraint(condition=models.Q(total_fen__gt=0), name="paymentorder_total_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_no}（{self.get_state_display()}）"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "待回盘"
    PAID = "paid", "已发放"
    FAILED = "failed", "发放失败"


class PaymentOrderItem(models.Model):
    """One line of the payment file. `origin` is the roster item first approved for this person
    and period: a reissued item keeps the origin of the item it replaces, and an origin is paid
    at most once (PaidOrigin, enforced by the database). No index covers a column the ingest
    writes, and PostgreSQL leaves room on each page (fillfactor, migration 0005), so writing a
    line's answer is a HOT update that touches no index."""

    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="items")
    seq = models.PositiveIntegerField("序号")
    batch_item = models.ForeignKey("rosters.BatchItem", on_delete=models.PROTECT, related_name="payment_lines")
    origin = models.ForeignKey("rosters.BatchItem", on_delete=models.PROTECT, related_name="+",
                               verbose_name="原始明细")
    item_ref = models.CharField("明细编号", max_length=40)
    amount_fen = models.BigIntegerField("金额（分）")
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    reason_code = models.CharField("失败原因代码", max_length=3, blank=True)
    reason_text = models.CharField("失败说明", max_length=200, blank=True)
    bank_txn_id = models.CharField("银行流水号", max_length=60, blank=True)
    paid_at = models.DateTimeField("发放时间", null=True, blank=True)
    do_not_repay = models.BooleanField("不得再次发放（E08 重复明细）", default=False)
    written_off_reason = models.CharField("核销原因", max_length=200, blank=True)

    class Meta:
        ordering = ["order_id", "seq"]
        verbose_name = "支付明细"
        constraints = [
            models.UniqueConstraint(fields=["order", "seq"], name="paymentitem_unique_seq"),
            models.UniqueConstraint(fields=["order", "item_ref"], name="paymentitem_unique_ref"),
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="paymentitem_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_ref} {self.get_status_display()}"

    @property
    def reason(self):
        from ..exchange.codes import REASON_CODES

        return REASON_CODES.get(self.reason_code)


class PaidOrigin(models.Model):
    """Insert-only record of the line that paid an origin item: the origin is the primary key, so
    the database refuses a second paid line for the same person and period (DESIGN §6.2). Kept
    apart from the line table so that table carries no index on the status the ingest writes."""

    # No foreign-key constraints: both ids are copied from a line row (whose own constraints hold
    # them), and a million deferred checks would double the ingest's commit.
    origin = models.OneToOneField("rosters.BatchItem", on_delete=models.PROTECT, primary_key=True, related_name="+",
                                  db_constraint=False, verbose_name="原始明细")
    line = models.ForeignKey(PaymentOrderItem, on_delete=models.PROTECT, db_index=False, db_constraint=False,
                             related_name="+", verbose_name="支付明细")

    class Meta:
        verbose_name = "已发放原始明细"

    def __str__(self) -> str:
        return f"{self.origin_id} → {self.line_id}"


class Reissue(models.Model):
    """A failed payment line carried into a reissue batch (补发) as a new roster item."""

    source = models.OneToOneField(PaymentOrderItem, on_delete=models.PROTECT, related_name="reissue",
                                  verbose_name="失败的支付明细")
    new_item = models.OneToOneField("rosters.BatchItem", on_delete=models.PROTECT, related_name="reissue_of",
                                    verbose_name="补发明细")
    corrected = models.JSONField("更正的字段", default=list, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "补发明细"
