"""Attachments sealed at rest (issue 13): each stored file is read from the media folder, sealed
into content_enc (core.sealed, the data key Vault, core.crypto), checked against its digest, and its plaintext
file deleted; then the FileField goes. Reversible: unsealed back into files."""
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models, transaction

PURPOSE = b"ykt.rosters.attachment.v1"  # rosters.models.attachment.ATTACHMENT_PURPOSE, frozen here


def seal_files(apps, schema_editor):
    from yikatong.core import sealed

    Attachment = apps.get_model("rosters", "Attachment")
    done = []
    for att in Attachment.objects.exclude(file="").iterator(chunk_size=200):
        try:
            with default_storage.open(att.file.name, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise RuntimeError(f"附件 {att.pk} 的文件 {att.file.name} 不存在，无法加密迁移（请先恢复该文件）") from None
        if hashlib.sha256(data).hexdigest() != att.sha256:
            raise RuntimeError(f"附件 {att.pk} 的文件与登记的 SHA-256 不符，无法加密迁移")
        box = sealed.seal(data, purpose=PURPOSE)
        Attachment.objects.filter(pk=att.pk).update(content_enc=box.blob, size=box.size)
        done.append(att.file.name)
    # the plaintext goes only once every file is sealed (a failure above leaves everything as it was);
    # a crash here leaves plaintext behind, never loses a file
    transaction.on_commit(lambda: [default_storage.delete(name) for name in done], using=schema_editor.connection.alias)


def unseal_files(apps, schema_editor):
    from yikatong.core import sealed

    Attachment = apps.get_model("rosters", "Attachment")
    for att in Attachment.objects.exclude(content_enc=b"").iterator(chunk_size=200):
        data = sealed.unseal(bytes(att.content_enc), purpose=PURPOSE, sha256=att.sha256)
        att.file.save(f"{att.batch_id}-{att.sha256[:16]}", ContentFile(data), save=False)
        Attachment.objects.filter(pk=att.pk).update(file=att.file.name, content_enc=b"")


class Migration(migrations.Migration):

    dependencies = [
        ('rosters', '0006_merge'),
    ]

    operations = [
        migrations.AddField(
            model_name='attachment',
            name='content_enc',
            field=models.BinaryField(default=b'', verbose_name='文件内容（密文）'),
        ),
        migrations.AlterField(
            model_name='attachment',
            name='file',
            field=models.FileField(blank=True, upload_to='rosters/%Y/%m/'),
        ),
        migrations.RunPython(seal_files, unseal_files),
        migrations.RemoveField(
            model_name='attachment',
            name='file',
        ),
    ]
