"""Attachments of a batch (signed summary scans, notice photos): sealed at rest (core.sealed), with the
digest and size of the plaintext. Who adds which, and when: rosters.attachment_policy."""
from django.conf import settings
from django.db import models

ATTACHMENT_PURPOSE = b"ykt.rosters.attachment.v1"  # associated data of Attachment.content_enc


class AttachmentKind(models.TextChoices):
    SUMMARY = "summary", "签字盖章的汇总表"
    NOTICE_PHOTO = "notice_photo", "公示照片/证明"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("类型", max_length=15, choices=AttachmentKind.choices)
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)  # sniffed from the bytes (core.downloads), never the client's
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Encrypted at rest (core.crypto Vault, AES-GCM, ATTACHMENT_PURPOSE); read it only through `data()`.
    content_enc = models.BinaryField("文件内容（密文）", default=b"")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "附件"

    def data(self) -> bytes:
        """The file's bytes as uploaded, checked against the recorded digest."""
        from yikatong.core import sealed

        return sealed.unseal(self.content_enc, purpose=ATTACHMENT_PURPOSE, sha256=self.sha256)
