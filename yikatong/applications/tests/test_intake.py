"""Application intake (issue 14.3) at the service level: each transition, each refusal by its code,
four eyes, scope (404 / OUT_OF_SCOPE), the township's working-day deadline and its overdue to-do, the
pull into a batch (idempotent) and the applicant's public status."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from yikatong.applications import pull, selectors, services
from yikatong.applications.errors import ApplicationRefused
from yikatong.applications.models import Application, State
from yikatong.audit.models import AuditEvent
from yikatong.core import calendar
from yikatong.core.crypto import vault
from yikatong.core.refusals import Forbidden, code_of
from yikatong.rosters.tests.files import card, id_number

from .support import REVIEW, application_policy, submit, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake(rw, regions):
    application_policy(rw)
    return rw


def _code(excinfo) -> str:
    return code_of(excinfo.value)


# ---- transitions ----------------------------------------------------------------------------------------

def test_an_application_goes_from_the_village_to_department_approval(intake, regions):
    app = submit(intake, regions)
    assert app.state == State.SUBMITTED and app.amount_fen == intake.policy.rate_fen and app.amount_is_standard
    assert vault().decrypt(app.id_enc) == id_number(1) and app.id_masked != id_number(1)
    app = walk(intake, app, "village_reviewed")
    assert app.state == State.VILLAGE_REVIEWED and app.review.votes_for == 25
    app = walk(intake, Application.objects.get(pk=app.pk), "township_verified")
    assert app.state == State.TOWNSHIP_VERIFIED
    app = services.application_approve(actor=intake.users["mz_head"], application_id=app.pk)
    assert app.state == State.APPROVED
    assert [e.action for e in app.events.all()] == ["submit", "village_review", "township_verify", "approve"]
    actions = list(AuditEvent.objects.filter(object_type="applications.application").values_list("action", flat=True))
    assert actions == ["applications.submit", "applications.village_review", "applications.township_verify",
                       "applications.approve"]
    assert id_number(1) not in str(list(AuditEvent.objects.values_list("after", flat=True)))


@pytest.mark.parametrize("level", ["submitted", "village_reviewed", "township_verified"])
def test_a_refusal_at_any_level_needs_and_keeps_its_reason(intake, regions, level):
    app = submit(intake, regions)
    if level != "submitted":
        app = walk(intake, app, level)
    who = {"submitted": "cun", "village_reviewed": "zhan", "township_verified": "mz_rev"}[level]
    with pytest.raises(ApplicationRefused) as exc:
        services.application_refuse(actor=intake.users[who], application_id=app.pk, reason=" ")
    assert exc.value.code == "REASON_REQUIRED"
    app = services.application_refuse(actor=intake.users[who], application_id=app.pk, reason="家庭人均收入超过保障标准")
    assert (app.state, app.refused_at, app.refusal_reason) == (State.REFUSED, level, "家庭人均收入超过保障标准")


def test_the_wrong_level_cannot_act(intake, regions):
    app = submit(intake, regions)
    with pytest.raises(ApplicationRefused) as exc:
        services.application_township_verify(actor=intake.users["zhan"], application_id=app.pk)
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    with pytest.raises(ApplicationRefused) as exc:
        services.application_refuse(actor=intake.users["zhan"], application_id=app.pk, reason="x")
    assert exc.value.code == "ROLE_NOT_ALLOWED"


# ---- refusals by code -----------------------------------------------------------------------------------

@pytest.mark.parametrize("change, code", [
    ({"id_number": "14102419500101001"}, "APPLICATION_ID_INVALID"),
    ({"account_no": "6228480012345"}, "APPLICATION_ACCOUNT_INVALID"),
    ({"phone": "12"}, "APPLICATION_PHONE_INVALID"),
    ({"name": " "}, "APPLICATION_NAME_REQUIRED"),
    ({"amount_fen": 0}, "APPLICATION_AMOUNT_INVALID"),
])
def test_submission_refusals(intake, regions, change, code):
    args = {"actor": intake.users["cun"], "policy": intake.policy, "year": 2026, "village": regions["village1"],
            "name": "王五", "id_number": id_number(5), "account_no": card(5), "phone": "13812345678", **change}
    with pytest.raises(ValidationError) as exc:
        services.application_submit(**args)
    assert _code(exc) == code


def test_submission_needs_an_application_policy_a_village_in_scope_and_a_clerk(intake, regions, villages):
    from yikatong.policies.models import Policy

    with pytest.raises(ValidationError) as exc:
        services.application_submit(
            actor=intake.users["cun"], policy=intake.policy, year=2026, village=villages["v3"], name="王五",
            id_number=id_number(5), account_no=card(5))
    assert _code(exc) == "APPLICATION_VILLAGE_INVALID"
    with pytest.raises(Forbidden) as exc:
        services.application_submit(actor=intake.users["zhan"], policy=intake.policy, year=2026, village=regions["village1"],
                        name="王五", id_number=id_number(5), account_no=card(5))
    assert _code(exc) == "ROLE_NOT_ALLOWED"
    Policy.objects.filter(pk=intake.policy.pk).update(intake="roster")
    intake.policy.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        submit(intake, regions)
    assert _code(exc) == "APPLICATION_POLICY_NOT_APPLICATION"


def test_a_tiered_policy_needs_an_amount(intake, regions):
    from yikatong.policies.models import Policy

    Policy.objects.filter(pk=intake.policy.pk).update(rate_fen=None)
    intake.policy.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        submit(intake, regions)
    assert _code(exc) == "APPLICATION_AMOUNT_REQUIRED"
    assert submit(intake, regions, amount_fen=30000).amount_fen == 30000


def test_no_second_open_application_for_the_same_person_policy_and_year(intake, regions):
    app = submit(intake, regions)
    with pytest.raises(ValidationError) as exc:
        submit(intake, regions)
    assert _code(exc) == "APPLICATION_DUPLICATE"
    assert submit(intake, regions, year=2027).year == 2027  # another year is another application
    services.application_refuse(actor=intake.users["cun"], application_id=app.pk, reason="材料不全")
    assert submit(intake, regions).state == State.SUBMITTED  # refused: may apply again


def test_democratic_review_is_required_where_the_policy_says_and_must_pass(intake, regions):
    app = submit(intake, regions)
    with pytest.raises(ApplicationRefused) as exc:
        services.application_village_review(actor=intake.users["cun"], application_id=app.pk)
    assert exc.value.code == "APPLICATION_REVIEW_REQUIRED"
    with pytest.raises(ApplicationRefused) as exc:
        services.application_village_review(actor=intake.users["cun"], application_id=app.pk,
                                review={**REVIEW, "votes_for": 10, "votes_against": 12})
    assert exc.value.code == "APPLICATION_REVIEW_NOT_PASSED"
    from yikatong.applications.models import DemocraticReview

    assert not DemocraticReview.objects.filter(application=app).exists()  # refused step rolled back
    for bad, code in (({"votes_for": 30, "votes_against": 5}, "APPLICATION_REVIEW_VOTES_INVALID"),
                      ({"held_on": datetime.date(2999, 1, 1)}, "APPLICATION_REVIEW_DATE_FUTURE")):
        with pytest.raises(ValidationError) as exc:
            services.application_village_review(actor=intake.users["cun"], application_id=app.pk, review={**REVIEW, **bad})
        assert _code(exc) == code


def test_no_democratic_review_when_the_policy_needs_none(rw, regions):
    application_policy(rw, democratic_review=False)
    app = submit(rw, regions)
    assert services.application_village_review(actor=rw.users["cun"], application_id=app.pk).state == State.VILLAGE_REVIEWED


def test_an_id_number_found_invalid_now_stops_the_step(intake, regions):
    app = submit(intake, regions)
    Application.objects.filter(pk=app.pk).update(id_enc=vault().encrypt("141024195001010010"))
    with pytest.raises(ApplicationRefused) as exc:
        walk(intake, app, "village_reviewed")
    assert exc.value.code == "APPLICATION_ID_NOW_INVALID"


def test_four_eyes_the_recorder_never_approves(intake, regions):
    from yikatong.accounts.models import RoleGrant

    app = walk(intake, submit(intake, regions), "township_verified")
    cun = intake.users["cun"]
    RoleGrant.objects.create(user=cun, role="dept_reviewer")  # the clerk now also reviews for a department …
    type(cun).objects.filter(pk=cun.pk).update(organization=intake.orgs["mz"])  # … of the approving one
    cun = type(cun).objects.get(pk=cun.pk)
    with pytest.raises(ApplicationRefused) as exc:
        services.application_approve(actor=cun, application_id=app.pk)
    assert exc.value.code == "FOUR_EYES_RECORDER_APPROVES"


# ---- scope --------------------------------------------------------------------------------------------

def test_outside_the_scope_is_404_and_another_department_cannot_approve(intake, regions, make_user):
    app = walk(intake, submit(intake, regions), "township_verified")
    other_town = make_user("t2op", "township_operator", region=regions["town2"])
    for actor in (intake.users["ny_rev"], intake.users["other_fin"], other_town):
        with pytest.raises(Http404):
            services.application_approve(actor=actor, application_id=app.pk)
        assert not selectors.filtered(actor).exists()
    assert list(selectors.filtered(intake.users["mz_rev"])) == [app]
    assert list(selectors.filtered(intake.users["fin"], state="township_verified")) == [app]
    with pytest.raises(ApplicationRefused) as exc:
        services.application_approve(actor=intake.users["fin"], application_id=app.pk)  # sees it, may not act
    assert exc.value.code == "ROLE_NOT_ALLOWED"


# ---- the township's deadline ------------------------------------------------------------------------------

def test_township_deadline_in_working_days_and_overdue_on_the_todo_list(intake, regions, settings):
    from django.utils import timezone

    from yikatong.web.todo import todos_for

    settings.YKT_PROFILE = "001"  # 乡镇 3 个工作日内审核核实
    app = walk(intake, submit(intake, regions), "village_reviewed")
    assert app.due_date == calendar.add_working_days(timezone.localdate(), 3)
    todo = [t for t in todos_for(intake.users["zhan"]) if t.category == "补贴申请"]
    assert len(todo) == 1 and not todo[0].overdue and todo[0].due == app.due_date
    Application.objects.filter(pk=app.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert [t.overdue for t in todos_for(intake.users["zhan"]) if t.category == "补贴申请"] == [True]
    assert not [t for t in todos_for(intake.users["cun"]) if t.category == "补贴申请"]  # not the village's turn


def test_no_deadline_where_the_profile_sets_none(intake, regions):
    assert walk(intake, submit(intake, regions), "village_reviewed").due_date is None  # profile 000


# ---- into a batch ---------------------------------------------------------------------------------------

def test_approved_applications_are_pulled_into_the_batch_once(intake, regions, batch):
    from yikatong.web.todo import todos_for

    approved = walk(intake, submit(intake, regions, 1))
    waiting = walk(intake, submit(intake, regions, 2), "township_verified")  # not approved yet
    assert [t.title for t in todos_for(intake.users["zhan"]) if t.title.startswith("待纳入清册")] == [
        "待纳入清册：城乡居民最低生活保障 2026年 已审批申请 1 份"]
    result = pull.pull_approved(batch, intake.users["zhan"])
    assert result.added == [approved.pk] and result.skipped == []
    approved.refresh_from_db()
    item = approved.batch_item
    assert item.batch_id == batch.pk and item.amount_fen == approved.amount_fen and item.name == approved.name
    assert vault().decrypt(item.id_enc) == id_number(1)
    again = pull.pull_approved(batch, intake.users["zhan"])
    assert again.added == [] and batch.items.count() == 1  # idempotent: never twice
    assert not [t for t in todos_for(intake.users["zhan"]) if t.title.startswith("待纳入清册")]
    services.application_approve(actor=intake.users["mz_rev"], application_id=waiting.pk)
    assert pull.pull_approved(batch, intake.users["zhan"]).added == [waiting.pk]
    assert AuditEvent.objects.filter(action="applications.pull").count() == 3


def test_pull_refusals(intake, regions, batch):
    from yikatong.policies.models import Policy

    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied) as exc:  # rosters.scope.ScopeRefused: a department does not fill rosters
        pull.pull_approved(batch, intake.users["mz_rev"])
    assert _code(exc) == "ROLE_NOT_ALLOWED"
    Policy.objects.filter(pk=intake.policy.pk).update(intake="roster")
    with pytest.raises(ValidationError) as exc:
        pull.pull_approved(batch, intake.users["zhan"])
    assert _code(exc) == "APPLICATION_PULL_NOT_APPLICATION_POLICY"
    Policy.objects.filter(pk=intake.policy.pk).update(intake="application")
    type(batch).objects.filter(pk=batch.pk).update(state="dept_review")
    with pytest.raises(ValidationError) as exc:
        pull.pull_approved(batch, intake.users["zhan"])
    assert _code(exc) == "APPLICATION_PULL_BATCH_CLOSED"


# ---- the public self-query ------------------------------------------------------------------------------

def test_public_status_shows_state_and_refusal_reason_and_nothing_else(intake, regions):
    app = submit(intake, regions, 7, name="赵六")
    services.application_refuse(actor=intake.users["cun"], application_id=app.pk, reason="经民主评议不符合条件")
    submit(intake, regions, 7, name="赵六", year=2027)
    rows = selectors.public_status(id_number(7), "赵六")
    assert [(r["year"], r["state"], r["refusal_reason"]) for r in rows] == [
        (2027, "submitted", ""), (2026, "refused", "经民主评议不符合条件")]
    assert set(rows[0]) == {"policy", "year", "state", "state_label", "submitted_on", "refusal_reason", "rostered"}
    assert selectors.public_status(id_number(7), "赵七") == []  # the name must match too
    assert selectors.public_status("141024", "赵六") == []


def test_the_form_refuses_an_unreadable_amount_by_code():
    from yikatong.applications.forms import ApplicationForm

    form = ApplicationForm({"amount_yuan": "五百"})
    form.is_valid()
    assert [e.code for e in form.errors.as_data()["amount_yuan"]] == ["APPLICATION_AMOUNT_UNREADABLE"]
