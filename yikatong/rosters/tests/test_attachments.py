"""Issue 13 point 8: attachments — who adds which kind in which state (rosters.attachment_policy, one
table read by service, form, view and template), sealed at rest, and every link answers for those who
see the batch and 404 for everyone else."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support.env import media_in
from tests.support.scenarios import PNG
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.core.refusals import Refusal
from yikatong.rosters import attachment_policy, services
from yikatong.rosters.models import Attachment, Batch

from .test_http import login

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def _state(batch, state):
    Batch.objects.filter(pk=batch.pk).update(state=state)
    batch.refresh_from_db()
    return batch


def _refused(fn) -> str:
    with pytest.raises(Refusal) as exc:
        fn()
    return exc.value.code


@pytest.fixture
def cast(rw):
    rw.org("station2", "大槐树镇农经站", OrgKind.TOWNSHIP_STATION, "town1", parent=rw.orgs["nync"])
    rw.user("zhan2", "station2", Role.TOWNSHIP_OPERATOR)
    rw.user("gk", "czj", Role.TREASURY)
    rw.user("sup", "czj", Role.SUPERVISOR)
    rw.org("bank_org", "洪洞农商行", OrgKind.AGENT_BANK, "county")
    rw.user("banker", "bank_org", Role.BANK)
    return rw


def add(user, batch, kind, data=PNG, filename="a.png"):
    return services.attachment_add(actor=user, batch_id=batch.pk, kind=kind, filename=filename, data=data)


# ---- the table ------------------------------------------------------------------------------------

def test_summary_only_by_the_department_in_dept_approval(cast, batch):
    u = cast.users
    batch = _state(batch, "dept_approval")
    assert _refused(lambda: add(u["zhan"], batch, "summary")) == "ATTACHMENT_ROLE"
    assert _refused(lambda: add(u["fin"], batch, "summary")) == "ATTACHMENT_ROLE"
    assert _refused(lambda: add(u["ny_rev"], batch, "summary")) == "NOT_OWNING_DEPARTMENT"
    att = add(u["mz_head"], batch, "summary", PDF, "汇总表.pdf")
    assert att.content_type == "application/pdf"
    batch = _state(batch, "dept_review")
    assert _refused(lambda: add(u["mz_head"], batch, "summary")) == "ATTACHMENT_STATE"


def test_notice_photo_only_during_the_notice(cast, batch):
    u = cast.users
    assert _refused(lambda: add(u["zhan"], batch, "notice_photo")) == "ATTACHMENT_STATE"  # draft
    batch = _state(batch, "notice")
    assert _refused(lambda: add(u["mz_rev"], batch, "notice_photo")) == "ATTACHMENT_ROLE"
    assert _refused(lambda: add(u["zhan2"], batch, "notice_photo")) == "NOT_OWN_STATION"
    add(u["zhan"], batch, "notice_photo", JPG, "photo.jpg")


@pytest.mark.parametrize("state", ["paid", "closed"])
def test_nothing_is_added_to_a_paid_or_closed_batch(cast, batch, state):
    u = cast.users
    batch = _state(batch, state)
    for user, kind in [("zhan", "other"), ("mz_head", "summary"), ("fin", "other"), ("zhan", "notice_photo")]:
        assert _refused(lambda: add(u[user], batch, kind)) == "ATTACHMENT_STATE"
    assert not Attachment.objects.exists()
    assert attachment_policy.kinds_for(u["fin"], batch) == []


def test_read_only_and_outside_roles_add_nothing(cast, batch):
    u = cast.users
    for who in ("sup", "gk", "banker"):
        assert _refused(lambda: add(u[who], batch, "other")) == "ATTACHMENT_ROLE"
    assert _refused(lambda: add(None, batch, "other")) == "NOT_AUTHENTICATED"
    assert _refused(lambda: add(u["zhan"], batch, "contract")) == "ATTACHMENT_KIND"


def test_type_is_sniffed_and_size_limited(cast, batch, settings):
    u = cast.users
    html = b"<html><script>alert(1)</script></html>"
    assert _refused(lambda: add(u["zhan"], batch, "other", html, "photo.png")) == "ATTACHMENT_TYPE"
    assert _refused(lambda: add(u["zhan"], batch, "other", b"", "x.png")) == "ATTACHMENT_EMPTY"
    settings.YKT_UPLOAD_MAX_BYTES = {"attachment": 50}
    assert _refused(lambda: add(u["zhan"], batch, "other", PNG + b"\x00" * 64)) == "ATTACHMENT_TOO_LARGE"
    settings.YKT_UPLOAD_MAX_BYTES = {}
    att = add(u["zhan"], batch, "other", PNG, '..\\..\\evil";.exe')
    assert att.content_type == "image/png" and att.filename.endswith(".png") and "/" not in att.filename
    assert '"' not in att.filename and ";" not in att.filename


# ---- at rest ----------------------------------------------------------------------------------------

def test_sealed_at_rest_with_the_plaintext_digest(cast, batch, tmp_path, settings):
    import hashlib

    media_in(settings, tmp_path)
    att = add(cast.users["zhan"], batch, "other", PNG)
    raw = bytes(Attachment.objects.values_list("content_enc", flat=True).get(pk=att.pk))
    assert PNG not in raw and raw != PNG
    assert att.sha256 == hashlib.sha256(PNG).hexdigest() and Attachment.objects.get(pk=att.pk).data() == PNG
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # nothing written to the media folder
    Attachment.objects.filter(pk=att.pk).update(sha256="0" * 64)
    with pytest.raises(ValueError):  # a blob that is not what was recorded is never served
        Attachment.objects.get(pk=att.pk).data()


# ---- download: every link resolves for those who see the batch, 404 for everyone else -------------

@pytest.fixture
def stored(cast, batch):
    att = add(cast.users["zhan"], batch, "other", PDF, "核实记录.pdf")
    return batch, att


@pytest.mark.parametrize("who", ["zhan", "czs", "mz_rev", "mz_head", "fin", "sup", "cun"])
def test_download_by_those_who_see_the_batch(client, cast, stored, who):
    batch, att = stored
    resp = login(client, cast.users[who]).get(reverse("attachment_download", args=[batch.pk, att.pk]))
    assert resp.status_code == 200 and resp.content == PDF
    assert resp["Content-Type"] == "application/pdf" and resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Disposition"].startswith("attachment;") and ".pdf" in resp["Content-Disposition"]


@pytest.mark.parametrize("who", ["zhan2", "ny_rev", "other_fin", "banker", "op_other_town"])
def test_download_refused_404_for_everyone_else(client, cast, stored, who, regions):
    batch, att = stored
    if who == "op_other_town":
        cast.org("town2_station", "另一镇民政办", OrgKind.TOWNSHIP_STATION, "town2", parent=cast.orgs["mz"])
        cast.user(who, "town2_station", Role.TOWNSHIP_OPERATOR)
    resp = login(client, cast.users[who]).get(reverse("attachment_download", args=[batch.pk, att.pk]))
    assert resp.status_code == 404


def test_download_anonymous_and_wrong_batch(client, cast, stored, regions):
    batch, att = stored
    resp = client.get(reverse("attachment_download", args=[batch.pk, att.pk]))
    assert resp.status_code in (302, 401, 403, 404) and resp.content != PDF
    other = services.batch_create(actor=cast.users["zhan"], policy=cast.policy, period="2026-12",
                                  region=regions["town1"])
    resp = login(client, cast.users["zhan"]).get(reverse("attachment_download", args=[other.pk, att.pk]))
    assert resp.status_code == 404  # the id of an attachment of another batch does not resolve through this one


def test_every_link_on_the_batch_page_resolves(client, cast, batch):
    u = cast.users
    batch = _state(batch, "notice")
    from tests.support.scenarios import PHONE

    login(client, u["zhan"])
    client.post(reverse("notice_record", args=[batch.pk]), {
        "level": "village", "start": batch.state_since.date().isoformat() if batch.state_since else "",
        "place": "村委会公示栏", "phone": PHONE, "proof": SimpleUploadedFile("公示.png", PNG, content_type="text/html")})
    add(u["zhan"], batch, "other", JPG, "x.jpg")
    page = client.get(reverse("batch_detail", args=[batch.pk])).content.decode()
    import re

    links = set(re.findall(r'href="(/[^"]*/attachments/\d+/)"', page))
    assert len(links) == Attachment.objects.filter(batch=batch).count() >= 1
    for link in links:
        resp = client.get(link)
        assert resp.status_code == 200 and resp["Content-Type"] in ("image/png", "image/jpeg")


def test_upload_form_offers_only_what_the_policy_allows(client, cast, batch):
    u = cast.users
    batch = _state(batch, "dept_approval")
    page = login(client, u["mz_head"]).get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert 'value="summary"' in page and 'value="notice_photo"' not in page
    page = login(client, u["sup"]).get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert reverse("attachment_add", args=[batch.pk]) not in page  # no upload button for a read-only role
    batch = _state(batch, "closed")
    page = login(client, u["mz_head"]).get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert reverse("attachment_add", args=[batch.pk]) not in page


def test_posting_to_a_closed_batch_changes_nothing(client, cast, batch):
    batch = _state(batch, "closed")
    login(client, cast.users["zhan"])
    resp = client.post(reverse("attachment_add", args=[batch.pk]),
                       {"kind": "other", "file": SimpleUploadedFile("a.png", PNG, content_type="image/png")})
    assert resp.status_code == 302 and not Attachment.objects.exists()
    page = client.get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert 'data-code="ATTACHMENT_STATE"' in page
