"""Public notices (公示) of a batch and the objections raised during them."""
from django.conf import settings
from django.db import models


class NoticeLevel(models.TextChoices):
    VILLAGE = "village", "村级公示"
    TOWNSHIP = "township", "乡镇公示"
    POST_PAYMENT = "post_payment", "发放后公示"


class Notice(models.Model):
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="notices")
    level = models.CharField("公示层级", max_length=15, choices=NoticeLevel.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    place = models.CharField("公示地点", max_length=200)
    read_at_assembly = models.BooleanField("已在群众大会上宣读", default=False)
    # the reading at the villagers' assembly (seed 003: 公示并在群众大会上宣读), required before approval where
    # the profile says so (LocalProfile.notice_read_at_assembly; guard notice_recorded)
    assembly_on = models.DateField("宣读日期", null=True, blank=True)
    assembly_place = models.CharField("宣读地点", max_length=200, blank=True)
    assembly_attendees = models.PositiveIntegerField("到会人数", null=True, blank=True)
    working_days = models.PositiveSmallIntegerField("公示工作日数")  # the end is computed from it by the calendar
    phone = models.CharField("监督电话", max_length=20, blank=True)  # required for every notice recorded since issue 12
    proof = models.ForeignKey("rosters.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name="公示照片/证明")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    @property
    def assembly_recorded(self) -> bool:
        return bool(self.read_at_assembly and self.assembly_on and self.assembly_place and self.assembly_attendees)

    class Meta:
        ordering = ["start"]
        verbose_name = "公示"
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="rosters_notice_end_after_start"),
        ]


class Objection(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    raised_by = models.CharField("反映人", max_length=50)
    content = models.TextField("反映内容")
    item = models.ForeignKey("rosters.BatchItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField("处理结果", blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # an objection of the public filed online (disclosure: a complaint of kind 公示异议): its tracking number.
    # Such an objection is resolved by answering and closing that complaint, not here (notices.objection_resolve)
    source_ref = models.CharField("受理编号", max_length=30, blank=True)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = "公示异议"
