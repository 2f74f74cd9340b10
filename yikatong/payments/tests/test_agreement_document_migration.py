"""payments 0008 seals the agreement texts stored before it as plaintext files into AgreementDocument
rows (checked against the recorded digest) and deletes the files from the media folder."""
import hashlib
import io

import pytest
from django.core.files.storage import default_storage

from tests.support.env import media_in
from tests.support.env import migrate as _migrate
from tests.support.env import migrate_to_latest

BEFORE, AFTER = ("payments", "0007_bankfile_refusal_code"), ("payments", "0008_agreement_document_sealed")
PDF = b"%PDF-1.4\n%signed\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_existing_agreement_texts_are_sealed_and_removed(pw, settings, tmp_path):
    media_in(settings, tmp_path)
    try:
        old = _migrate(BEFORE)
        name = default_storage.save("payments/agreements/2026/三方协议.pdf", io.BytesIO(PDF))
        old.get_model("payments", "BankAgreement").objects.filter(pk=pw.agreement.pk).update(
            document=name, document_sha256=hashlib.sha256(PDF).hexdigest())
        _migrate(AFTER)
    finally:
        migrate_to_latest()
    from yikatong.payments.models import AgreementDocument

    doc = AgreementDocument.objects.get(agreement_id=pw.agreement.pk)
    assert doc.data() == PDF and PDF not in bytes(doc.content_enc) and doc.content_type == "application/pdf"
    assert doc.filename.endswith(".pdf") and not (tmp_path / name).exists()
