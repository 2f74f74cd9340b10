"""代发银行满意度调查 (seed 003: 每年开展代发银行满意度调查): finance records, per agent bank and year, the survey
of the bank's service — respondents, satisfied, a score out of 100, the findings and optionally the report.
Offered only where the profile says so (LocalProfile.bank_service_survey); one survey per bank and year."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core import downloads, sealed
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import Forbidden

from .errors import PaymentError
from .exchange.storage import SURVEY_PURPOSE
from .models import AgentBank, BankSurvey

__all__ = ["offered", "survey_record", "surveys_for", "banks_with_surveys"]


def offered() -> bool:
    return current_profile().bank_service_survey


def surveys_for(actor) -> QuerySet[BankSurvey]:
    """Surveys of the banks the actor reads (selectors.banks_for: finance, treasury, supervisors, admins)."""
    from .selectors import banks_for

    return BankSurvey.objects.filter(bank__in=banks_for(actor)).select_related("bank", "recorded_by")


@transaction.atomic
def survey_record(*, actor, bank_id: int, year: int, respondents: int, satisfied: int, score: int,
                  findings: str = "", report_name: str = "", report_data: bytes | None = None) -> BankSurvey:
    from .selectors import banks_for

    if not offered():
        raise PaymentError("SURVEY_NOT_IN_PROFILE")
    bank = banks_for(actor).get(pk=bank_id)  # outside the actor's region: DoesNotExist (404)
    if not actor.has_role(Role.FINANCE_REVIEWER):
        raise Forbidden("SURVEY_ROLE_NOT_ALLOWED")
    if type(year) is not int or not 2000 <= year <= timezone.localdate().year:
        raise PaymentError("SURVEY_YEAR_INVALID", year=year)
    figures = (respondents, satisfied, score)
    if any(type(x) is not int for x in figures) or respondents < 1 or not 0 <= satisfied <= respondents \
            or not 0 <= score <= 100:
        raise PaymentError("SURVEY_FIGURES_INVALID")
    if BankSurvey.objects.filter(bank=bank, year=year).exists():
        raise PaymentError("SURVEY_RECORDED", bank=str(bank), year=year)
    report = {}
    if report_data:
        ctype = downloads.sniff(report_data)
        if ctype is None:
            raise PaymentError("SURVEY_REPORT_TYPE")
        box = sealed.seal(report_data, purpose=SURVEY_PURPOSE)
        report = {"report_name": downloads.safe_filename(report_name, content_type=ctype, default="满意度调查报告"),
                  "report_type": ctype, "report_sha256": box.sha256, "report_enc": box.blob}
    try:
        with transaction.atomic():
            survey = BankSurvey.objects.create(
                bank=bank, region_id=bank.organization.region_id, year=year, respondents=respondents,
                satisfied=satisfied, score=score, findings=(findings or "").strip()[:4000], recorded_by=actor,
                **report)
    except IntegrityError:  # a concurrent caller recorded it first
        raise PaymentError("SURVEY_RECORDED", bank=str(bank), year=year) from None
    record(actor=actor, action="payments.bank_survey.record", obj=survey, after={
        "bank": bank.code, "year": year, "respondents": respondents, "satisfied": satisfied, "score": score,
        "report_sha256": report.get("report_sha256", "")})
    return survey


def banks_with_surveys(actor) -> list[tuple[AgentBank, list[BankSurvey]]]:
    """The results page: each bank the actor reads with its surveys, latest year first."""
    from .selectors import banks_for

    by_bank: dict[int, list[BankSurvey]] = {}
    for s in surveys_for(actor).order_by("bank_id", "-year"):
        by_bank.setdefault(s.bank_id, []).append(s)
    return [(b, by_bank.get(b.pk, [])) for b in banks_for(actor).order_by("code")]
