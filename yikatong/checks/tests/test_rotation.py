"""Data key rotation across apps: rosters, findings and their evidence follow the registry, and a
cross-check run after it finds the same findings (no new ones, none closed)."""
import hashlib

import pytest
from django.utils import timezone

from tests.support.scenarios import PHONE_SHARED
from yikatong.checks import services
from yikatong.checks.evidence import EVIDENCE_PURPOSE
from yikatong.checks.models import Finding, FindingEvidence
from yikatong.core.crypto import Vault, vault
from yikatong.registry import rotation
from yikatong.registry.compare import compare_rows
from yikatong.registry.models import Person
from yikatong.registry.rotation import RotationError, key_rotate
from yikatong.registry.tests.rotation_helpers import assert_all_under, snapshot
from yikatong.rosters.importer.run import IMPORT_PURPOSE
from yikatong.rosters.models import BatchItem, ImportRun
from yikatong.rosters.tests.files import card, id_number

pytestmark = pytest.mark.django_db
NEW_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleTA="
FILE = "依据：对象3 的银行流水".encode() * 50


def _findings():
    """The findings, their fingerprints aside (those hashing a blind index change with the key)."""
    return sorted(Finding.objects.values_list("pk", "rule__code", "item_id", "state"))


@pytest.fixture
def checked(planted, rw, settings):
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    shared = Finding.objects.get(rule__code="SHARED_ACCOUNT")
    FindingEvidence.objects.create(finding=shared, filename="流水.pdf", size=len(FILE),
                                   sha256=hashlib.sha256(FILE).hexdigest(), uploaded_by=rw.users["czs"],
                                   content_enc=vault().encrypt_bytes(FILE, purpose=EVIDENCE_PURPOSE),
                                   uploaded_at=timezone.now())
    return settings.YKT_DATA_KEY


def test_rotation_covers_rosters_and_checks_and_findings_stay_the_same(checked, planted, settings, monkeypatch):
    for name, size in [("CHUNK", 7), ("FILE_CHUNK", 1), ("LOOKUP", 3)]:  # many chunks: their seams are tested
        monkeypatch.setattr(rotation, name, size)
    old_key, before = checked, _findings()
    compare_in = [{"name": f"对象{n}", "id_number": id_number(n), "account_no": card(n)} for n in (1, 3, 10, 61)]
    compared = [(r.codes, r.person_id) for r in compare_rows(compare_in)]
    assert compared[0] == (["matched"], Person.objects.get(name="对象1").pk)
    fingerprints = dict(Finding.objects.values_list("pk", "fingerprint"))
    assert {code for _, code, *_ in before} >= {"SHARED_ACCOUNT", "DUP_PAYMENT", "SHARED_PHONE", "CADRE"}
    settings.YKT_DATA_KEY = NEW_KEY
    counts = key_rotate(old_key=old_key)
    new, old = Vault(NEW_KEY), Vault(old_key)
    assert counts["rosters_batchitem.phone_bidx"] > 0 and counts["checks_finding.id_bidx"] == len(before)
    assert counts["checks.rekey_fingerprints"] >= 1  # SHARED_ACCOUNT hashes other_id_bidx
    checked_counts = assert_all_under(new, old)
    assert all(checked_counts.values()), checked_counts
    # roster lookups by the new indexes, the staged file and the evidence open
    assert BatchItem.objects.filter(id_bidx=new.id_index(id_number(2))).count() == 2
    assert BatchItem.objects.filter(phone_bidx=new.index(PHONE_SHARED)).count() == 4
    run = ImportRun.objects.get(batch=planted["batch"])
    assert hashlib.sha256(new.decrypt_bytes(bytes(run.content_enc), purpose=IMPORT_PURPOSE)).hexdigest() == run.sha256
    ev = FindingEvidence.objects.get()
    assert new.decrypt_bytes(bytes(ev.content_enc), purpose=EVIDENCE_PURPOSE) == FILE
    assert [(r.codes, r.person_id) for r in compare_rows(compare_in)] == compared  # roster compare
    # the next cross-check run joins on the new indexes: the same findings, none new, none closed
    again = services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    assert (again.created, again.closed, again.reopened) == (0, 0, 0)
    assert _findings() == before
    changed = {f.rule.code for f in Finding.objects.select_related("rule") if f.fingerprint != fingerprints[f.pk]}
    assert changed == {"SHARED_ACCOUNT"}
    # a second rotation changes nothing
    state = snapshot()
    assert key_rotate(old_key=old_key) == {}
    assert snapshot() == state


@pytest.mark.parametrize("corrupt", ["item_phone", "evidence", "finding_index"])
def test_a_value_neither_key_opens_aborts_everything(checked, planted, settings, corrupt):
    old_key = checked
    if corrupt == "item_phone":
        item = BatchItem.objects.order_by("-pk").first()
        BatchItem.objects.filter(pk=item.pk).update(phone_enc="v1:AAAAbroken")
        table, pk = "rosters_batchitem", item.pk
    elif corrupt == "evidence":
        ev = FindingEvidence.objects.get()
        FindingEvidence.objects.filter(pk=ev.pk).update(content_enc=b"\0" * 40)
        table, pk = "checks_findingevidence", ev.pk
    else:
        f = Finding.objects.order_by("-pk").first()
        Finding.objects.filter(pk=f.pk).update(id_bidx="0" * 64)
        table, pk = "checks_finding", f.pk
    before = snapshot()
    settings.YKT_DATA_KEY = NEW_KEY
    with pytest.raises(RotationError, match=f"表 {table}）第 {pk} 行"):
        key_rotate(old_key=old_key)
    assert snapshot() == before
