"""rosters 0007 seals the attachments stored before it as plaintext files: each is checked against
its digest, sealed into content_enc, and its file deleted from the media folder."""
import hashlib

import pytest
from django.core.files.storage import default_storage

from tests.support.env import media_in
from tests.support.env import migrate as _migrate
from tests.support.env import migrate_to_latest
from tests.support.scenarios import PNG

BEFORE, AFTER = ("rosters", "0006_merge"), ("rosters", "0007_attachment_sealed_at_rest")


@pytest.mark.django_db(transaction=True)
def test_existing_attachment_files_are_sealed_and_removed(rw, batch, settings, tmp_path):
    media_in(settings, tmp_path)
    try:
        old = _migrate(BEFORE)
        name = default_storage.save("rosters/2026/11/1-old.png", __import__("io").BytesIO(PNG))
        assert (tmp_path / name).read_bytes() == PNG
        Attachment = old.get_model("rosters", "Attachment")
        att = Attachment.objects.create(batch_id=batch.pk, kind="summary", filename="汇总表.png",
                                        content_type="image/png", size=len(PNG),
                                        sha256=hashlib.sha256(PNG).hexdigest(), file=name,
                                        uploaded_by_id=rw.users["zhan"].pk)
        _migrate(AFTER)
    finally:
        migrate_to_latest()
    from yikatong.rosters.models import Attachment as Current

    sealed = Current.objects.get(pk=att.pk)
    assert sealed.data() == PNG and PNG not in bytes(sealed.content_enc)
    assert not (tmp_path / name).exists()  # no plaintext left in the media folder
