from django import forms

from .models import ImportMode
from .models.attachment import AttachmentKind
from .models.notice import NoticeLevel


class BatchCreateForm(forms.Form):
    policy = forms.ChoiceField(label="补贴项目")
    period = forms.CharField(label="发放期间", max_length=10, help_text="按月 2026-11，按季 2026Q4，按年 2026")
    region = forms.ChoiceField(label="发放乡镇")


class ImportForm(forms.Form):
    file = forms.FileField(label="清册文件（.xlsx/.xls/.csv）")
    mode = forms.ChoiceField(label="导入方式", choices=ImportMode.choices, initial=ImportMode.ALL_OR_NOTHING)
    confirm_standard = forms.BooleanField(label="确认按清册标准导入", required=False)


class NoticeForm(forms.Form):
    level = forms.ChoiceField(label="公示层级", choices=NoticeLevel.choices[:2])
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="不能早于批次进入公示环节的日期")
    working_days = forms.IntegerField(label="公示工作日数", min_value=1, max_value=60, required=False,
                                      help_text="不填按本地规定的最少工作日；结束日期按工作日历自动计算")
    place = forms.CharField(label="公示地点", max_length=200)
    phone = forms.CharField(label="监督电话", max_length=20)
    read_at_assembly = forms.BooleanField(label="已在群众大会上宣读", required=False)
    assembly_on = forms.DateField(label="宣读日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    assembly_place = forms.CharField(label="宣读地点", max_length=200, required=False)
    assembly_attendees = forms.IntegerField(label="到会人数", min_value=1, required=False)
    proof = forms.FileField(label="公示照片/证明（PDF、JPG、PNG）", required=False)


class AssemblyForm(forms.Form):
    """The reading of a notice at the villagers' assembly, recorded after the notice was put up."""

    assembly_on = forms.DateField(label="宣读日期", widget=forms.DateInput(attrs={"type": "date"}))
    assembly_place = forms.CharField(label="宣读地点", max_length=200)
    assembly_attendees = forms.IntegerField(label="到会人数", min_value=1)


class PostPaymentNoticeForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    working_days = forms.IntegerField(label="公示工作日数", min_value=1, max_value=60, required=False)
    place = forms.CharField(label="公示地点", max_length=200)
    phone = forms.CharField(label="监督电话", max_length=20)


class ObjectionForm(forms.Form):
    raised_by = forms.CharField(label="反映人", max_length=50, required=False)
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    """Kinds offered: those rosters.attachment_policy lets this actor add to this batch now."""

    kind = forms.ChoiceField(label="材料类型", choices=AttachmentKind.choices)
    file = forms.FileField(label="文件（PDF、JPG、PNG，10MB以内）")

    def __init__(self, *args, actor=None, batch=None, **kwargs):
        super().__init__(*args, **kwargs)
        if batch is not None:
            from .attachment_policy import kinds_for

            self.fields["kind"].choices = kinds_for(actor, batch)


class CountyRosterForm(forms.Form):
    """The county-wide roster upload on the batch list (rosters.views_county)."""
    policy = forms.ChoiceField(label="补贴项目")
    period = forms.CharField(label="发放期间", max_length=10, help_text="按月 2026-11，按季 2026Q4，按年 2026")
    file = forms.FileField(label="全县清册文件（.xlsx/.xls/.csv，须有“乡镇(街道)”列）")
