"""The signed agreement text sealed at rest (issue 13): each stored document is read from the media
folder, checked against its digest, sealed into an AgreementDocument (core.sealed), and its plaintext
file deleted after the commit; then the FileField goes. A document of a type outside the whitelist is
kept (sealed) and served as application/octet-stream. Reversible."""
import hashlib
import os

import django.db.models.deletion
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models, transaction

PURPOSE = b"ykt.payments.agreement-document.v1"  # exchange/storage.AGREEMENT_PURPOSE, frozen here


def seal_documents(apps, schema_editor):
    from yikatong.core import downloads
    from yikatong.core import sealed

    BankAgreement = apps.get_model("payments", "BankAgreement")
    AgreementDocument = apps.get_model("payments", "AgreementDocument")
    done = []
    for agreement in BankAgreement.objects.exclude(document="").iterator(chunk_size=100):
        name = agreement.document.name
        try:
            with default_storage.open(name, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise RuntimeError(f"代发协议 {agreement.pk} 的协议文本 {name} 不存在，无法加密迁移（请先恢复该文件）") from None
        if agreement.document_sha256 and hashlib.sha256(data).hexdigest() != agreement.document_sha256:
            raise RuntimeError(f"代发协议 {agreement.pk} 的协议文本与登记的 SHA-256 不符，无法加密迁移")
        box = sealed.seal(data, purpose=PURPOSE)
        ctype = downloads.sniff(data) or ""
        AgreementDocument.objects.create(
            agreement=agreement, content_type=ctype, size=box.size, sha256=box.sha256, content_enc=box.blob,
            filename=downloads.safe_filename(os.path.basename(name), content_type=ctype or None, default="代发协议"))
        BankAgreement.objects.filter(pk=agreement.pk).update(document_sha256=box.sha256)
        done.append(name)
    transaction.on_commit(lambda: [default_storage.delete(n) for n in done], using=schema_editor.connection.alias)


def unseal_documents(apps, schema_editor):
    from yikatong.core import sealed

    AgreementDocument = apps.get_model("payments", "AgreementDocument")
    for doc in AgreementDocument.objects.select_related("agreement").iterator(chunk_size=100):
        data = sealed.unseal(bytes(doc.content_enc), purpose=PURPOSE, sha256=doc.sha256)
        agreement = doc.agreement
        agreement.document.save(doc.filename or "agreement", ContentFile(data), save=False)
        type(agreement).objects.filter(pk=agreement.pk).update(document=agreement.document.name)
        doc.delete()



class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0007_bankfile_refusal_code'),
    ]

    operations = [
        migrations.CreateModel(
            name='AgreementDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(max_length=100, verbose_name='文件名')),
                ('content_type', models.CharField(blank=True, max_length=100, verbose_name='类型')),
                ('size', models.PositiveIntegerField(verbose_name='字节数')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('content_enc', models.BinaryField(verbose_name='文件内容（密文）')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('agreement', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='signed_text', to='payments.bankagreement', verbose_name='代发协议')),
            ],
            options={
                'verbose_name': '代发协议文本',
            },
        ),
        migrations.RunPython(seal_documents, unseal_documents),
        migrations.RemoveField(
            model_name='bankagreement',
            name='document',
        ),
    ]
