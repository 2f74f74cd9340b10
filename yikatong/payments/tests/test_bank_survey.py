"""代发银行满意度调查 (issue 14 point 5, seed 003): finance records one survey per bank and year, offered only
where the profile says so (LocalProfile.bank_service_survey); the results page lists each bank's years."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.support.api import bearer
from tests.support.scenarios import PNG
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.profiles import get_profile
from yikatong.payments import surveys
from yikatong.payments.errors import PaymentError
from yikatong.payments.models import BankSurvey

pytestmark = pytest.mark.django_db

FIGURES = dict(respondents=120, satisfied=108, score=92, findings="个别网点排队时间长")


def test_profile_field_switches_the_survey_on(pw, settings):
    assert get_profile("003").bank_service_survey and not get_profile("000").bank_service_survey
    bank = pw.agreement.bank
    with pytest.raises(PaymentError) as exc:  # pw runs under 000
        surveys.survey_record(actor=pw.users["fin"], bank_id=bank.pk, year=2025, **FIGURES)
    assert exc.value.code == "SURVEY_NOT_IN_PROFILE"
    settings.YKT_PROFILE = "003"
    s = surveys.survey_record(actor=pw.users["fin"], bank_id=bank.pk, year=2025, report_name="报告.png",
                              report_data=PNG, **FIGURES)
    assert s.satisfaction_pct == "90.0%" and s.report() == PNG
    assert AuditEvent.objects.filter(action="payments.bank_survey.record").count() == 1


def test_one_survey_per_bank_and_year_and_figures_checked(pw, settings):
    settings.YKT_PROFILE = "003"
    fin, bank = pw.users["fin"], pw.agreement.bank
    surveys.survey_record(actor=fin, bank_id=bank.pk, year=2025, **FIGURES)
    with pytest.raises(PaymentError) as exc:
        surveys.survey_record(actor=fin, bank_id=bank.pk, year=2025, **FIGURES)
    assert exc.value.code == "SURVEY_RECORDED"
    for bad in ({"satisfied": 121}, {"score": 101}, {"respondents": 0, "satisfied": 0}):
        with pytest.raises(PaymentError) as exc:
            surveys.survey_record(actor=fin, bank_id=bank.pk, year=2024, **{**FIGURES, **bad})
        assert exc.value.code == "SURVEY_FIGURES_INVALID"
    with pytest.raises(PaymentError) as exc:
        surveys.survey_record(actor=fin, bank_id=bank.pk, year=2999, **FIGURES)
    assert exc.value.code == "SURVEY_YEAR_INVALID"
    with pytest.raises(PermissionDenied) as exc:
        surveys.survey_record(actor=pw.users["gk"], bank_id=bank.pk, year=2024, **FIGURES)
    assert exc.value.code == "SURVEY_ROLE_NOT_ALLOWED"
    assert BankSurvey.objects.count() == 1


def test_results_page_lists_years_per_bank_and_api_records(client, pw, settings, make_user, regions):
    settings.YKT_PROFILE = "003"
    fin, bank = pw.users["fin"], pw.agreement.bank
    surveys.survey_record(actor=fin, bank_id=bank.pk, year=2024, **FIGURES)
    resp = client.post("/api/payments/bank-surveys",
                       {"bank": bank.pk, "year": 2025, "respondents": 50, "satisfied": 40, "score": 85}, **bearer(fin))
    assert resp.status_code == 201, resp.content
    assert resp.json()["year"] == 2025
    client.force_login(fin)
    page = client.get(reverse("payments_surveys")).content.decode()
    assert page.index("2025") < page.index("2024") and "90.0%" in page and "survey-form" in page
    listed = client.get("/api/payments/bank-surveys", **bearer(fin)).json()
    assert listed["offered"] and [s["year"] for s in listed["surveys"]] == [2025, 2024]
    other = make_user("fin_other", Role.FINANCE_REVIEWER, region=regions["other_county"])
    assert client.post("/api/payments/bank-surveys", {"bank": bank.pk, "year": 2023, "respondents": 5,
                       "satisfied": 4, "score": 80}, **bearer(other)).status_code == 404
