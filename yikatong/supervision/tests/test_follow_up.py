"""Follow-up of a clue by the supervisor: 移送 → 核查中 → 已办结, notes, audit, permission matrix."""
import io
import zipfile

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from yikatong.audit.models import AuditEvent
from yikatong.checks.evidence import Upload
from yikatong.checks.models import FindingEvidence
from yikatong.rosters.tests.files import card, id_number
from yikatong.supervision import services
from yikatong.supervision.models import Clue, ClueState, Conclusion

from .conftest import transfer

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 village committee statement"


@pytest.fixture
def clue(checked, people):
    transfer(people["zhan"], "AMOUNT_STANDARD", evidence_text="村委会说明", evidence_files=[Upload("说明.pdf", PDF)])
    return Clue.objects.get()


def test_the_supervisor_investigates_notes_and_concludes(clue, people):
    sup = people["sup"]
    with pytest.raises(ValidationError) as exc:
        services.investigation_conclude(actor=sup, clue_id=clue.pk, conclusion=Conclusion.SUBSTANTIATED, text="属实")
    assert exc.value.code == "CLUE_STATE_NOT_ALLOWED"
    assert services.investigation_note_add(actor=sup, clue_id=clue.pk, text="已调取村委会台账").state == ClueState.TRANSFERRED
    assert services.investigation_start(actor=sup, clue_id=clue.pk).state == ClueState.INVESTIGATING
    with pytest.raises(ValidationError) as exc:
        services.investigation_start(actor=sup, clue_id=clue.pk)
    assert exc.value.code == "CLUE_STATE_NOT_ALLOWED"
    with pytest.raises(ValidationError) as exc:
        services.investigation_conclude(actor=sup, clue_id=clue.pk, conclusion="maybe", text="x")
    assert exc.value.code == "CLUE_CONCLUSION_INVALID"
    with pytest.raises(ValidationError) as exc:
        services.investigation_conclude(actor=sup, clue_id=clue.pk, conclusion=Conclusion.SUBSTANTIATED, text=" ")
    assert exc.value.code == "CLUE_CONCLUSION_TEXT_REQUIRED"
    done = services.investigation_conclude(actor=sup, clue_id=clue.pk, conclusion=Conclusion.SUBSTANTIATED, text="多发100元，已追回")
    assert done.state == ClueState.CONCLUDED and done.conclusion == "substantiated"
    assert done.concluded_by == sup and done.conclusion_text == "多发100元，已追回"
    assert [e.kind for e in done.entries.all()] == ["transfer", "note", "start", "conclude"]
    assert [e.actor_id for e in done.entries.all()][1:] == [sup.pk] * 3
    with pytest.raises(ValidationError) as exc:
        services.investigation_note_add(actor=sup, clue_id=clue.pk, text="补充")
    assert exc.value.code == "CLUE_STATE_NOT_ALLOWED"
    actions = list(AuditEvent.objects.filter(object_type="supervision.clue").values_list("action", flat=True))
    assert actions == ["supervision.clue_note", "supervision.clue_start", "supervision.clue_conclude"]


@pytest.mark.parametrize("who", ["wrong_role", "wrong_region", "transferring_reviewer"])
def test_follow_up_is_refused_and_changes_nothing(clue, people, who):
    actor = {"wrong_role": people["fin"], "wrong_region": people["sup_other"],
             "transferring_reviewer": people["zhan"]}[who]
    events = AuditEvent.objects.count()
    for call in (lambda: services.investigation_start(actor=actor, clue_id=clue.pk),
                 lambda: services.investigation_note_add(actor=actor, clue_id=clue.pk, text="x"),
                 lambda: services.case_file_download(actor=actor, clue_id=clue.pk)):
        with pytest.raises(PermissionDenied):
            call()
    clue.refresh_from_db()
    assert clue.state == ClueState.TRANSFERRED and clue.entries.count() == 1
    assert AuditEvent.objects.count() == events


def _cells(xlsx: bytes) -> list[str]:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python()
    return [str(c) for r in rows for c in r]


def test_case_file_has_the_facts_masked_and_the_evidence_and_is_audited(clue, people):
    services.investigation_start(actor=people["sup"], clue_id=clue.pk, text="派员入户")
    name, data = services.case_file_download(actor=people["sup"], clue_id=clue.pk)
    assert name == f"案卷-{clue.case_no}.zip"
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.namelist() == ["案卷.xlsx", "依据/01-说明.pdf"] and z.read("依据/01-说明.pdf") == PDF
    cells = _cells(z.read("案卷.xlsx"))
    text = "\n".join(cells)
    item = clue.finding.item
    assert clue.case_no in text and "金额与标准不符" in text and clue.finding.batch.code in text
    assert item.id_masked in cells and item.account_masked in cells and "600.00" in cells
    assert "村委会说明" in cells and "派员入户" in text and "开始核查" in text
    seq = item.seq
    for secret in (id_number(seq), card(seq)):  # the full ID number and card number of the item
        assert secret not in text and secret[6:14] not in text
    event = AuditEvent.objects.get(action="supervision.casefile_download")
    assert event.actor == people["sup"] and event.after["files"] == ["案卷.xlsx", "依据/01-说明.pdf"]


def test_evidence_is_stored_encrypted_and_downloaded_by_the_supervisor_only(clue, people):
    item = FindingEvidence.objects.get(filename="说明.pdf")
    assert PDF not in bytes(item.content_enc) and item.size == len(PDF)
    got, data = services.evidence_download(actor=people["sup"], evidence_id=item.pk)
    assert data == PDF and AuditEvent.objects.filter(action="supervision.evidence_download").count() == 1
    with pytest.raises(ObjectDoesNotExist):
        services.evidence_download(actor=people["sup_other"], evidence_id=item.pk)
    with pytest.raises(PermissionDenied):
        services.evidence_download(actor=people["fin"], evidence_id=item.pk)
    assert AuditEvent.objects.filter(action="supervision.evidence_download").count() == 1
