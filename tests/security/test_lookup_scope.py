"""Lookups of personal data stay in the caller's scope (issue 13): 复核比对 (API and page), register
search (full, masked, by name / account) and reference hits.

- staff of county B comparing 30 people of county A are told nothing: not in the register, no village,
  no death, no account owner — whatever their role;
- township staff of A are not told the villages of people outside their township;
- a masked ID number matches on its first and last four characters only: typing more of the number
  never narrows the answer (the prefix oracle that recovered a full ID number in about 42 queries);
- every lookup is audited with the number of rows asked and returned, never the identifiers."""
from __future__ import annotations

import csv
import io
import json

import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn.ric import calc_check_digit

from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.crypto import vault
from yikatong.regions.models import Region
from yikatong.registry.models import BankAccount, Person, ReferenceRecord
from yikatong.registry.permissions import COMPARE_ROLES, VIEW_ROLES

from .test_url_walk import body_text
from .walk_fixtures import as_identity, world  # noqa: F401  (fixtures)
from .world import COUNTY_A, MARKER, _org, _user

pytestmark = pytest.mark.django_db

B_COMPARERS = sorted(f"B_{r}" for r in COMPARE_ROLES)
B_OTHERS = sorted(f"B_{r}" for r in Role if r not in COMPARE_ROLES)
B_VIEWERS = sorted(f"B_{r}" for r in VIEW_ROLES)


def _people(n: int = 30) -> list[dict]:
    """n people of county A with their plaintext ID, current account and village name; the ones the
    reference death data knows of first (a comparison must not tell another county they died)."""
    v = vault()
    dead = set(ReferenceRecord.objects.filter(snapshot__dataset="deaths").values_list("id_bidx", flat=True))
    persons = sorted(Person.objects.filter(village__code__startswith=COUNTY_A).select_related("village"),
                     key=lambda p: (p.id_bidx not in dead, p.pk))[:n]
    accounts = {a.person_id: v.decrypt(a.number_enc) for a in BankAccount.objects.filter(person__in=persons, is_current=True)}
    return [{"name": p.name, "id_number": v.decrypt(p.id_enc), "account_no": accounts.get(p.pk, ""),
             "village": p.village.name, "village_code": p.village_id, "pk": p.pk, "dead": p.id_bidx in dead}
            for p in persons]


def _api(client, user, path: str, payload: dict):
    client.force_login(user)
    return client.post(path, data=json.dumps(payload), content_type="application/json")


def _a_village_names() -> set[str]:
    # names of A's villages long enough not to occur by chance in a message (most end in 村委会 / 社区)
    return {n for n in Region.objects.filter(code__startswith=COUNTY_A, level=5).values_list("name", flat=True)
            if len(n) >= 4}


def _events(user, action: str):
    return list(AuditEvent.objects.filter(actor=user, action=action).order_by("pk"))


@pytest.mark.parametrize("identity", B_COMPARERS)
def test_api_compare_by_county_b_finds_nobody_of_county_a(world, client, identity):
    people = _people()
    assert any(p["dead"] for p in people), "the demo's death data should cover some of these people"
    user = world.identities[identity]
    resp = _api(client, user, "/api/registry/compare", {"rows": [
        {k: p[k] for k in ("name", "id_number", "account_no", "village")} for p in people]})
    assert resp.status_code == 200
    rows = resp.json()
    assert len(rows) == len(people)
    assert all(r["person_id"] is None and r["org_id"] is None for r in rows)
    assert {s["code"] for r in rows for s in r["statuses"]} == {"not_in_register"}
    text = body_text(resp)
    assert not world.leaks(text)
    assert not [n for n in _a_village_names() if n in text]
    event = _events(user, "registry.compare")[-1]
    assert event.after["rows"] == len(people) and event.after["found"] == 0
    assert not world.leaks(json.dumps(event.after, ensure_ascii=False) + event.object_repr)


@pytest.mark.parametrize("identity", B_OTHERS + ["A_clerk_of_another_township", "A_no_role_public"])
def test_api_compare_is_refused_to_roles_that_do_not_compare(world, client, identity):
    people = _people(3)
    resp = _api(client, world.identities[identity], "/api/registry/compare",
                {"rows": [{"name": p["name"], "id_number": p["id_number"]} for p in people]})
    assert resp.status_code == 403 and not world.leaks(body_text(resp))


def _csv(people) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["序号", "姓名", "身份证号码", "银行账号", "村(社区)"])
    for i, p in enumerate(people, 1):
        w.writerow([i, p["name"], p["id_number"], p["account_no"], p["village"]])
    return out.getvalue().encode("utf-8-sig")


def _ui_compare(client, user, people, township: str = ""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(user)
    return client.post("/registry/compare/", {"file": SimpleUploadedFile("list.csv", _csv(people), "text/csv"),
                                             "township": township})


@pytest.mark.parametrize("identity", ["B_township_finance", "B_dept_reviewer", "B_finance_reviewer", "B_supervisor"])
def test_ui_compare_by_county_b_finds_nobody_of_county_a(world, client, identity):
    people = _people()
    user = world.identities[identity]
    resp = _ui_compare(client, user, people)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(resp.content)).get_sheet_by_index(0).to_python()
    start = next(i for i, row in enumerate(sheet) if "比对结果" in row)  # after the title rows
    header, rows = sheet[start], [r for r in sheet[start + 1:] if any(r)]
    result, note = header.index("比对结果"), header.index("说明")
    # the list the caller sent comes back with its own values; what the register knows does not
    assert len(rows) == len(people)
    assert {(r[result], r[note]) for r in rows} == {("底册中无此人（单位）", "底册中无此人（单位）")}
    after = _events(user, "registry.compare")[-1].after
    assert (after["rows"], after["found"]) == (len(people), 0)


def test_township_staff_of_a_are_not_told_villages_outside_their_township(world, client):
    czs = world.a_users["czs"]  # township finance office of A's first township
    town = czs.organization.region_id[:9]
    outside = [p for p in _people(300) if not p["village_code"].startswith(town)][:20]
    inside = [p for p in _people(300) if p["village_code"].startswith(town)][:5]
    assert outside and inside
    resp = _api(client, czs, "/api/registry/compare", {"rows": [
        {k: p[k] for k in ("name", "id_number", "account_no", "village")} for p in outside + inside]})
    assert resp.status_code == 200
    rows = resp.json()
    # outside the township: not in the register (a county-wide death snapshot still covers the township's
    # place, so "deceased" may be said — with the agency and date, never the village)
    assert all(r["person_id"] is None and {s["code"] for s in r["statuses"]} <= {"not_in_register", "deceased"}
               for r in rows[:len(outside)])
    assert all(r["person_id"] for r in rows[len(outside):])  # the office does find its own township's people
    text = body_text(resp)
    assert not [p["village"] for p in outside if len(p["village"]) >= 4 and p["village"] in text]
    # nor can it ask about another township by naming it
    other = outside[0]["village_code"][:9]
    resp = _api(client, czs, "/api/registry/compare", {"rows": [{"name": outside[0]["name"],
                                                                 "id_number": outside[0]["id_number"]}],
                                                       "township_code": other})
    assert resp.status_code == 403


# --- register search: masked ID numbers and the prefix oracle ----------------------------------------------


def _id(body17: str) -> str:
    return body17 + calc_check_digit(body17 + "0")  # stdnum's calc_check_digit ignores the last character


@pytest.fixture
def twins(world):
    """Two people in the village of A's clerk whose ID numbers share the first and the last four
    characters (and nothing else of the middle)."""
    clerk = world.a_users["cun"]
    village = clerk.organization.region
    v = vault()
    first = _id(f"{COUNTY_A}19520101123")
    for day in range(1, 29):  # same sequence number, another birth date with the same check digit
        second = _id(f"{COUNTY_A}198706{day:02d}123")
        if second[-4:] == first[-4:]:
            break
    assert first[-4:] == second[-4:] and first[:4] == second[:4] and first != second
    out = []
    for i, number in enumerate((first, second)):
        p = Person.objects.create(
            name=f"{MARKER}5{i}", id_enc=v.encrypt(number), id_bidx=v.id_index(number),
            id_mask_bidx=v.mask_index(number[:4], number[-4:]), birth_date=f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
            sex="男" if int(number[16]) % 2 else "女", village=village)
        out.append((p, number))
    return clerk, out


def _search(client, user, q: str) -> set[int]:
    client.force_login(user)
    resp = client.post("/api/registry/persons/search", data=json.dumps({"q": q}), content_type="application/json")
    assert resp.status_code == 200, resp.content
    return {r["id"] for r in resp.json()}


def test_a_masked_id_matches_on_the_first_and_last_four_only(client, twins):
    clerk, [(p, first), (q, second)] = twins
    both = {p.pk, q.pk}
    assert _search(client, clerk, first[:4] + "*" * 10 + first[-4:]) >= both
    # typing more of the middle never narrows the answer to one of the two
    for prefix_len in range(5, 14):  # 14 characters and no star is the full number: an exact lookup
        for number in (first, second):
            masked = number[:prefix_len] + "*" * (14 - prefix_len) + number[-4:]
            assert _search(client, clerk, masked) >= both, masked


def test_the_prefix_oracle_learns_nothing(client, twins):
    """The 42-query attack: fix the last four, try each next digit of the prefix and keep the one that
    still answers. Every guess answers the same, so no digit is ever learnt."""
    clerk, [(p, number), _] = twins
    known = number[:4]
    for position in range(4, 13):  # up to the last hidden digit (all 18 typed is an exact lookup)
        answers = {d: frozenset(_search(client, clerk, known + d + "*" * (13 - position) + number[-4:]))
                   for d in "0123456789"}
        assert len(set(answers.values())) == 1, f"digit {position + 1} told apart: {answers}"
        known += number[position]  # an attacker who somehow knew it gains nothing at the next digit either


@pytest.mark.parametrize("identity", B_VIEWERS + ["A_clerk_of_another_township", "A_no_role_public"])
def test_search_by_others_finds_nobody_of_county_a(world, client, identity):
    person = _people(1)[0]
    number, account = person["id_number"], person["account_no"]
    user = world.identities[identity]
    for q in (MARKER, person["name"], number, number[:4] + "*" * 10 + number[-4:], account):
        client.force_login(user)
        resp = client.post("/api/registry/persons/search", data=json.dumps({"q": q}), content_type="application/json")
        assert resp.status_code in (200, 403)
        assert resp.status_code == 403 or resp.json() == [], (identity, q)
        client.force_login(user)
        page = client.post("/registry/", {"q": q})
        # the page may show back what the caller typed; nothing else of county A
        assert page.status_code in (200, 403) and not world.leaks(body_text(page).replace(q, "")), (identity, q)


def test_a_clerk_of_another_village_of_the_same_township_finds_nobody_of_this_village(world, client, twins):
    clerk, [(p, number), _] = twins
    village = clerk.organization.region
    neighbour = village.parent.children.exclude(code=village.code).order_by("code").first()
    other = _user("a_clerk_neighbour", _org(f"N-{neighbour.code}", "village", neighbour), Role.VILLAGE_CLERK)
    for q in (p.name, number, number[:4] + "*" * 10 + number[-4:]):
        assert _search(client, other, q) == set(), q


# --- every lookup audited with its row count, never the identifiers ---------------------------------------


def test_every_lookup_is_audited_with_its_row_count(world, client, twins):
    clerk, [(p, number), _] = twins
    masked = number[:4] + "*" * 10 + number[-4:]
    found = _search(client, clerk, masked)
    event = _events(clerk, "registry.search")[-1]
    assert event.after["rows"] == len(found) >= 2
    client.force_login(clerk)
    client.post("/registry/", {"q": number})
    event = _events(clerk, "registry.search")[-1]
    assert event.after["rows"] == 1
    dept = world.a_users["mz_shenhe"]
    person = _people(1)[0]
    resp = _api(client, dept, "/api/registry/reference-hits", {"id_number": person["id_number"]})
    assert resp.status_code == 200
    event = _events(dept, "registry.reference_hits")[-1]
    assert event.after["rows"] == len(resp.json())
    resp = _api(client, dept, "/api/registry/compare", {"rows": [{"name": person["name"], "id_number": person["id_number"]}]})
    assert _events(dept, "registry.compare")[-1].after["found"] == 1
    # the audit trail keeps counts and the kind of query, never the number asked about
    for e in AuditEvent.objects.filter(action__in=("registry.search", "registry.reference_hits", "registry.compare")):
        payload = json.dumps([e.before, e.after, e.object_repr, e.object_id], ensure_ascii=False, default=str)
        assert number not in payload and person["id_number"] not in payload and masked not in payload
