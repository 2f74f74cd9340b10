"""Agent banks, their agreements, the bank files exchanged with them, and batch numbers.

Writes go through yikatong.payments.exchange.services; the file formats live in
yikatong.payments.exchange (specs/bank-exchange.md).
"""
import base64

from django.core.validators import RegexValidator
from django.db import models

from yikatong.accounts.models import Organization, OrgKind
from yikatong.core import crypto

from .exchange.mac import ALGORITHMS


class AgentBank(models.Model):
    """代发金融机构: a bank that pays on the county's behalf; `code` appears in every file name."""

    code = models.CharField(
        "银行编码", max_length=20, unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z]{1,20}$", "银行编码只能由字母和数字组成")],
    )
    name = models.CharField("名称", max_length=100)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="agent_banks", verbose_name="对应单位",
        limit_choices_to={"kind": OrgKind.AGENT_BANK},
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "代发金融机构"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class BankAgreement(models.Model):
    """代发协议 (in seed 003 the three-party agreement finance bureau – department – bank).

    The payer account and the MAC key are stored encrypted (core.crypto); only the last four
    digits of the account are kept in clear, for screens.
    """

    bank = models.ForeignKey(AgentBank, on_delete=models.PROTECT, related_name="agreements", verbose_name="代发银行")
    payer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="bank_agreements", verbose_name="付款单位（财政局）"
    )
    department = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="业务主管部门（三方协议的第三方）",
    )
    payer_account_encrypted = models.TextField("付款账号（加密）")
    payer_account_last4 = models.CharField("付款账号后四位", max_length=4)
    payer_name = models.CharField("付款户名", max_length=100)
    mac_key_encrypted = models.TextField("MAC 密钥（加密）")
    mac_alg = models.CharField("MAC 算法", max_length=20, choices=[(a, a) for a in ALGORITHMS])
    pay_within_working_days = models.PositiveSmallIntegerField("发放时限（工作日）", null=True, blank=True)
    report_within_days = models.PositiveSmallIntegerField("反馈时限（日）", null=True, blank=True)
    # the signed text itself is an AgreementDocument (sealed at rest, in a table of its own so that no
    # query of agreements or orders ever carries its bytes); its digest is kept here for the audit trail
    document_sha256 = models.CharField("协议文本摘要（SHA-256）", max_length=64, blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["bank_id", "-valid_from"]
        verbose_name = "代发协议"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="bankagreement_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} · 付款账号尾号 {self.payer_account_last4}"

    @property
    def payer_account(self) -> str:
        return crypto.decrypt(self.payer_account_encrypted)

    def mac_key(self) -> bytes:
        return base64.b64decode(crypto.decrypt(self.mac_key_encrypted))


class AgreementDocument(models.Model):
    """The signed text of an agreement (in seed 003 the three-party agreement): sealed at rest
    (core.sealed, exchange/storage.AGREEMENT_PURPOSE), its type sniffed from the bytes. Served
    decrypted only to finance, treasury, supervisors and admins of the payer's region (selectors)."""

    agreement = models.OneToOneField(BankAgreement, on_delete=models.PROTECT, related_name="signed_text",
                                     verbose_name="代发协议")
    filename = models.CharField("文件名", max_length=100)
    content_type = models.CharField("类型", max_length=100, blank=True)  # "" when outside the whitelist (legacy)
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_enc = models.BinaryField("文件内容（密文）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "代发协议文本"

    def __str__(self) -> str:
        return self.filename

    def data(self) -> bytes:
        """The signed text as uploaded, checked against its recorded digest."""
        from yikatong.core import sealed

        from .exchange.storage import AGREEMENT_PURPOSE

        return sealed.unseal(self.content_enc, purpose=AGREEMENT_PURPOSE, sha256=self.sha256)


class Direction(models.TextChoices):
    OUT = "out", "发出"
    IN = "in", "收到"


class FileKind(models.TextChoices):
    PAYMENT = "P", "代发明细"
    RESULT = "R", "回盘"
    REJECTION = "X", "整批拒收"


class BankFile(models.Model):
    """Every file sent to or received from a bank, byte for byte, with its SHA-256.

    Unique (kind, filename): a batch's file is sent once and its answer taken once. Unique
    (direction, sha256): the same bytes arriving again under another name is a replay.
    """

    direction = models.CharField("方向", max_length=3, choices=Direction.choices)
    kind = models.CharField("类型", max_length=1, choices=FileKind.choices)
    bank = models.ForeignKey(AgentBank, on_delete=models.PROTECT, related_name="files", verbose_name="代发银行")
    batch_no = models.CharField("批次号", max_length=30, db_index=True)
    filename = models.CharField("文件名", max_length=100)
    # Encrypted at rest (core.crypto Vault, AES-GCM); read it only through `data()`. `sha256` and
    # `size` are of the plaintext, so digests still verify against what was sent or received.
    content = models.BinaryField("文件内容（密文）")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("字节数")
    # Set when the file was refused but kept as evidence (e.g. an unauthenticated X arriving after the
    # batch's authenticated R, payments.ingest): it answers nothing and changed nothing.
    refusal_code = models.CharField("拒收原因代码", max_length=60, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "银行文件"
        constraints = [
            models.UniqueConstraint(fields=["kind", "filename"], name="bankfile_unique_kind_filename"),
            models.UniqueConstraint(fields=["direction", "sha256"], name="bankfile_unique_direction_digest"),
            models.CheckConstraint(
                condition=(models.Q(direction="out", kind="P") | models.Q(direction="in", kind__in=["R", "X"])),
                name="bankfile_direction_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    def data(self) -> bytes:
        """The file's bytes as sent or received: the one reader of `content`."""
        from .exchange.storage import open_content

        return open_content(self.content)


class BatchNumberSequence(models.Model):
    """The last batch number handed out per county and year; numbers are never reused."""

    county_code = models.CharField("县级区划代码", max_length=6)
    year = models.PositiveSmallIntegerField("年度")
    last_value = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "批次号序列"
        constraints = [
            models.UniqueConstraint(fields=["county_code", "year"], name="batchnumber_unique_county_year"),
        ]

    def __str__(self) -> str:
        return f"{self.county_code}-{self.year}: {self.last_value}"


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
        from .exchange.codes import REASON_CODES

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


class SmsState(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败（将重试）"
    GAVE_UP = "gave_up", "多次失败，已停止"


class SmsNotice(models.Model):
    """短信告知 of one paid line: the outbox table (the default backend's whole world).

    The text names the province's policy, the amount, the date and only the last four digits of
    the account; the phone number is stored encrypted."""

    line = models.OneToOneField(PaymentOrderItem, on_delete=models.PROTECT, related_name="sms", verbose_name="支付明细")
    phone_enc = models.TextField("手机号（密文）")
    phone_masked = models.CharField("手机号（脱敏）", max_length=20)
    text = models.CharField("短信内容", max_length=300)
    state = models.CharField("状态", max_length=10, choices=SmsState.choices, default=SmsState.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    last_error = models.CharField("最近错误", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "短信告知"

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.get_state_display()}"


class Clearing(models.Model):
    """年终清算 of one quota and year (seed 004 §四): the unspent balance recovered to the treasury.

    Figures in fen as they stood when cleared: received − passed down − paid = recovered (nothing
    may be in flight). One clearing per quota and year, never repeated."""

    quota = models.ForeignKey("funds.FundQuota", on_delete=models.PROTECT, related_name="+", verbose_name="资金指标")
    year = models.PositiveSmallIntegerField("清算年度")
    received_fen = models.BigIntegerField("指标金额（分）")
    passed_down_fen = models.BigIntegerField("已分配下级（分）")
    paid_fen = models.BigIntegerField("已支付（分）")
    recovered_fen = models.BigIntegerField("结余收回（分）")
    note = models.CharField("说明", max_length=200, blank=True)
    cleared_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="清算人")
    cleared_at = models.DateTimeField("清算时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "quota_id"]
        verbose_name = "年终清算"
        constraints = [
            models.UniqueConstraint(fields=["quota", "year"], name="clearing_once_per_quota_year"),
            models.CheckConstraint(
                condition=models.Q(recovered_fen=models.F("received_fen") - models.F("passed_down_fen")
                                   - models.F("paid_fen")) & models.Q(recovered_fen__gte=0),
                name="clearing_figures_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年清算 · 指标 {self.quota_id}"


class PaymentClaim(models.Model):
    """The (policy, period, person) slot an approved, in-flight or paid roster item holds (DESIGN §6.2,
    issue 12): inserted set-based when finance approves a batch (payments.claims, effect
    `claim_payments`), so the database refuses a second approved item for the same person, policy and
    period whatever the order of actions. A reissued item (补发) takes over its origin's claim (`item`
    moves to it; `origin` never changes). Never deleted."""

    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="+", verbose_name="补贴项目")
    period = models.CharField("发放期间", max_length=10)
    id_bidx = models.CharField("对象（证件号码盲索引）", max_length=64)
    origin = models.OneToOneField("rosters.BatchItem", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="原始明细")
    item = models.OneToOneField("rosters.BatchItem", on_delete=models.PROTECT, related_name="payment_claim",
                                verbose_name="占用明细")
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="+", verbose_name="占用批次")
    claimed_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "发放资格占用"
        constraints = [
            models.UniqueConstraint(fields=["policy", "period", "id_bidx"], name="paymentclaim_one_per_person_period"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.period} → {self.item_id}"
