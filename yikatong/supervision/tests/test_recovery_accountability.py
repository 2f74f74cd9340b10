"""Accountability around a recovery (issue 16 §4): transfer to 纪委监委 with the case file carrying the recovery
and its repayment vouchers, sanctions (处理处分) of a recovery or a clue, publishable handled cases (masked) where
the profile says, and the pages and API operations."""
import dataclasses
import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from yikatong.core.profiles import PROFILES
from yikatong.supervision import recovery, selectors, services
from yikatong.supervision.models import Clue

from .recovery_support import EVIDENCE, confirmed_on, fin2, jiwei, paid  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(pw, paid):
    batch, lines = paid
    f = confirmed_on(lines[0].batch_item, pw)
    r = recovery.recovery_open(actor=pw.users["fin"], finding_id=f.pk, reason="死亡后冒领")
    recovery.repayment_record(actor=pw.users["fin"], recovery_id=r.pk, amount_fen=r.amount_fen, voucher_no="JK-7",
                              repaid_on=timezone.localdate(), evidence_name="凭证.png", evidence_data=EVIDENCE)
    r.refresh_from_db()
    return r


def test_transfer_opens_the_clue_and_the_case_file_contains_the_recovery(pw, opened, jiwei):
    with pytest.raises(ValidationError) as exc:
        recovery.recovery_transfer(actor=pw.users["fin"], recovery_id=opened.pk)
    assert exc.value.code == "RECOVERY_TRANSFER_REASON_REQUIRED"
    r = recovery.recovery_transfer(actor=pw.users["fin"], recovery_id=opened.pk, reason="涉嫌虚报冒领，移送纪委监委")
    assert r.clue.finding_id == r.finding_id and r.clue.case_no.startswith("XS-")
    with pytest.raises(ValidationError) as exc:
        recovery.recovery_transfer(actor=jiwei, recovery_id=r.pk, case_no=r.clue.case_no)
    assert exc.value.code == "RECOVERY_CLUE_ATTACHED"
    recovery.sanction_record(actor=jiwei, clue_id=r.clue_id, position="村委会会计", measure="discipline",
                             decided_on=timezone.localdate(), doc_number="洪纪发〔2026〕3号")
    name, data = services.case_file_download(actor=jiwei, clue_id=r.clue_id)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        voucher = [n for n in names if n.startswith("缴回凭证/")]
        assert voucher and z.read(voucher[0]) == EVIDENCE
        rows = CalamineWorkbook.from_filelike(io.BytesIO(z.read("案卷.xlsx"))).get_sheet_by_index(0).to_python()
    text = "\n".join(" ".join(str(c) for c in row) for row in rows)
    assert r.recovery_no in text and "JK-7" in text and "党纪政务处分" in text
    assert f"追回对象 {r.debtor_masked}" in text


def test_attach_to_an_existing_clue_of_the_county_only(pw, opened, jiwei, regions):
    clue = Clue.objects.create(case_no="XS-141024-2026-000099", source="complaint", source_ref="TS-99", subject="s",
                               region=regions["town1"], reason="r", transferred_by=jiwei,
                               transferred_at=timezone.now())
    other = Clue.objects.create(case_no="XS-140702-2026-000001", source="complaint", source_ref="TS-98",
                                subject="s", region=regions["other_county"], reason="r", transferred_by=jiwei,
                                transferred_at=timezone.now())
    with pytest.raises(ValidationError) as exc:
        recovery.recovery_transfer(actor=jiwei, recovery_id=opened.pk, case_no=other.case_no)
    assert exc.value.code == "RECOVERY_CLUE_NOT_IN_SCOPE"
    r = recovery.recovery_transfer(actor=jiwei, recovery_id=opened.pk, case_no=clue.case_no)
    assert r.clue == clue


def test_sanctions_record_a_position_never_a_person(pw, opened, jiwei):
    base = dict(actor=jiwei, recovery_id=opened.pk, measure="admonition", decided_on=timezone.localdate(),
                doc_number="洪纪〔2026〕5号")
    for kw, code in (({"position": "14102419900101123X"}, "SANCTION_POSITION_PERSONAL"),
                     ({"position": " "}, "SANCTION_POSITION_REQUIRED"),
                     ({"position": "会计", "measure": "fine"}, "SANCTION_MEASURE_INVALID"),
                     ({"position": "会计", "doc_number": ""}, "SANCTION_DOC_REQUIRED"),
                     ({"position": "会计", "decided_on": timezone.localdate() + datetime.timedelta(days=1)},
                      "SANCTION_DATE_INVALID")):
        with pytest.raises(ValidationError) as exc:
            recovery.sanction_record(**{**base, **kw})
        assert exc.value.code == code
    with pytest.raises(ValidationError) as exc:
        recovery.sanction_record(**{**base, "position": "会计", "clue_id": 1})
    assert exc.value.code == "SANCTION_TARGET_REQUIRED"
    s = recovery.sanction_record(**{**base, "position": "乡镇民政办经办人"})
    assert (s.recovery, s.get_measure_display()) == (opened, "诫勉")


def test_public_cases_only_where_the_profile_publishes_and_masked(pw, opened, monkeypatch):
    assert selectors.public_cases("141024") == []
    monkeypatch.setitem(PROFILES, "000", dataclasses.replace(PROFILES["000"], publish_handled_cases=True))
    rows = selectors.public_cases("141024")
    assert len(rows) == 1 and rows[0]["kind"] == "recovery" and rows[0]["amount_fen"] == opened.amount_fen
    assert rows[0]["person"] == opened.debtor_masked != opened.debtor_name
    assert opened.recovery_no not in str(rows) and opened.item.id_masked not in str(rows)
    assert selectors.public_cases("140702") == []


def test_pages_and_api(client, pw, opened, fin2, jiwei):
    client.force_login(jiwei)
    page = client.get(reverse("supervision_recoveries"), {"state": "repaid"})
    assert page.status_code == 200 and opened.recovery_no in page.content.decode()
    detail = client.get(reverse("supervision_recovery", args=[opened.pk])).content.decode()
    assert "JK-7" in detail and opened.debtor_masked in detail and opened.debtor_name not in detail
    api = client.get("/api/supervision/recoveries", {"overdue": "true"})
    assert api.status_code == 200 and api.json() == []
    client.force_login(pw.users["other_fin"])
    assert client.get(reverse("supervision_recovery", args=[opened.pk])).status_code == 404
    assert client.get(f"/api/supervision/recoveries/{opened.pk}").status_code == 404
    client.force_login(pw.users["mz_rev"])
    assert client.get("/api/supervision/recoveries").status_code == 403
    client.force_login(fin2)
    listing = client.get(reverse("supervision_recoveries")).content.decode()
    assert "可立案追回的疑点" in listing


def test_api_opens_records_and_refuses_with_codes(client, pw, paid, fin2, make_user, regions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.api import bearer, call

    batch, lines = paid
    f = confirmed_on(lines[1].batch_item, pw, source="TS-API")
    fin = bearer(pw.users["fin"])
    refused = call(client, "post", "/api/supervision/recoveries", fin,
                   {"finding_id": f.pk, "reason": "x", "amount_fen": lines[1].amount_fen + 1})
    assert refused.status_code == 400 and refused.json()["code"] == "RECOVERY_AMOUNT_INVALID"
    opened = call(client, "post", "/api/supervision/recoveries", fin, {"finding_id": f.pk, "reason": "冒领"})
    assert opened.status_code == 201, opened.content
    rid = opened.json()["id"]
    assert call(client, "post", "/api/supervision/recoveries", fin, {"finding_id": f.pk, "reason": "x"}).status_code == 409
    url = f"/api/supervision/recoveries/{rid}/repayments"
    paid_back = client.post(url, {"amount_fen": 100, "repaid_on": timezone.localdate().isoformat(), "voucher_no": "A1",
                                  "evidence": SimpleUploadedFile("v.png", EVIDENCE, "image/png")}, **fin)
    assert paid_back.status_code == 201 and paid_back.json()["repaid_fen"] == 100
    too_much = client.post(url, {"amount_fen": 10**9, "repaid_on": timezone.localdate().isoformat(), "voucher_no": "A2",
                                 "evidence": SimpleUploadedFile("v.png", EVIDENCE, "image/png")}, **fin)
    assert too_much.status_code == 409 and too_much.json()["code"] == "REPAYMENT_EXCEEDS_OUTSTANDING"
    client.force_login(fin2)  # the page offers a second person the repayment and write-off forms
    page = client.get(reverse("supervision_recovery", args=[rid])).content.decode()
    assert "登记缴回" in page and "核销（须立案人以外的人员）" in page
    client.logout()
    own = call(client, "post", f"/api/supervision/recoveries/{rid}/write-off", fin, {"reason": "无力偿还"})
    assert own.status_code == 409 and own.json()["code"] == "RECOVERY_WRITE_OFF_FOUR_EYES"
    done = call(client, "post", f"/api/supervision/recoveries/{rid}/write-off", bearer(fin2), {"reason": "无力偿还"})
    assert done.status_code == 200 and done.json()["state"] == "written_off"
    sup_other = bearer(make_user("jiwei2", "supervisor", region=regions["other_county"]))
    body = {"position": "会计", "measure": "criticism", "decided_on": timezone.localdate().isoformat(), "doc_number": "1"}
    assert call(client, "post", f"/api/supervision/recoveries/{rid}/sanctions", sup_other, body).status_code == 404
    evidence = client.get(f"/api/supervision/repayments/{done.json()['repayments'][0]['id']}/evidence", **fin)
    assert evidence.status_code == 200 and evidence.content == EVIDENCE
