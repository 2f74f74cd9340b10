"""Complaints, reports and questions from the public (投诉/举报/咨询, issue 15 point 4).

Filed without login on /public/complaints/new/, tracked with the tracking number and the secret code
shown once (stored as a keyed hash), routed to the policy's department and the township of the place,
answered by staff in scope (states through core.statemachine: disclosure.complaint_flow), escalated
one level up by the daily overdue scan. The contact phone is encrypted and masked; the attachment is
sealed (core.sealed). A complaint may open a finding on a batch item or be transferred to supervision as a
clue (complaints_links); an objection to a running notice arrives as one too (complaints_objections)."""
from django.conf import settings
from django.db import models

COMPLAINT_ATTACHMENT_PURPOSE = b"ykt.disclosure.complaint.v1"  # associated data of Complaint.attachment_enc


class ComplaintKind(models.TextChoices):
    REPORT = "report", "举报"
    COMPLAINT = "complaint", "投诉"
    QUESTION = "question", "咨询"
    # filed from the public page of a running notice list (disclosure.complaints_objections), never from the
    # general form: it also records a rosters Objection that blocks the batch's approval until closed
    OBJECTION = "objection", "公示异议"


class ComplaintState(models.TextChoices):
    RECEIVED = "received", "已接收"
    ASSIGNED = "assigned", "办理中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class EscalationLevel(models.IntegerChoices):
    NONE = 0, "未升级"
    COUNTY = 1, "已升级至县级主管部门/财政"


class ComplaintNumberSequence(models.Model):
    """The last tracking serial handed out per county and year (core.serials); never reused."""

    county_code = models.CharField("县级区划代码", max_length=6)
    year = models.PositiveSmallIntegerField("年度")
    last_value = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "投诉编号序列"
        constraints = [models.UniqueConstraint(fields=["county_code", "year"],
                                               name="complaintnumber_unique_county_year")]

    def __str__(self) -> str:
        return f"{self.county_code}-{self.year}: {self.last_value}"


class Complaint(models.Model):
    tracking_no = models.CharField("受理编号", max_length=20, unique=True)
    code_hash = models.CharField(max_length=64)  # keyed hash of the secret code (disclosure.complaints_codes)
    kind = models.CharField("类型", max_length=10, choices=ComplaintKind.choices)
    policy = models.ForeignKey("policies.Policy", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="相关政策")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在地")
    township = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="所属乡镇")
    department = models.ForeignKey("accounts.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="承办部门")
    text = models.TextField("内容")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    phone_enc = models.TextField("联系电话（密文）", blank=True)
    phone_masked = models.CharField("联系电话（脱敏）", max_length=20, blank=True)
    attachment_name = models.CharField("附件名", max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_enc = models.BinaryField("附件（密文）", default=b"", blank=True)
    state = models.CharField("状态", max_length=10, choices=ComplaintState.choices, default=ComplaintState.RECEIVED)
    escalation = models.PositiveSmallIntegerField("升级", choices=EscalationLevel.choices, default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField("提交时间")
    due_on = models.DateField("答复期限")
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # what the handling office made of it (disclosure.complaints_links), each once
    finding = models.OneToOneField("checks.Finding", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="登记的疑点")
    clue = models.OneToOneField("supervision.Clue", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name="移送的线索")
    # an objection to a running notice (公示异议): the list it was filed from and the objection it recorded
    published_list = models.ForeignKey("disclosure.PublishedList", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name="异议的公示名单")
    objection = models.OneToOneField("rosters.Objection", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="公示异议")

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = "投诉举报"
        indexes = [models.Index(fields=["state", "due_on"], name="disclosure_complaint_due")]

    def __str__(self) -> str:
        return self.tracking_no

    @property
    def is_open(self) -> bool:
        return self.state in (ComplaintState.RECEIVED, ComplaintState.ASSIGNED)

    def attachment(self) -> bytes:
        from yikatong.core import sealed

        return sealed.unseal(self.attachment_enc, purpose=COMPLAINT_ATTACHMENT_PURPOSE,
                             sha256=self.attachment_sha256)


class ComplaintReply(models.Model):
    """A reply of the handling office (append-only); the latest is what the public tracking page shows."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField("答复内容")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("答复时间")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "答复"
