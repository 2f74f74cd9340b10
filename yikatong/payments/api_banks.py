"""JSON API of the agent banks, their agreements and the yearly bank survey (on payments.api's
router; the banks page, payments/views_banks.py). The payer account is answered as its last four digits,
the MAC key never."""
from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import File, Form, Schema, Status, UploadedFile

from yikatong.accounts.models import Organization
from yikatong.core import uploads
from yikatong.core.downloads import download_response

from . import banks, selectors
from .api import _iso, _readers_only, router
from .models import AgentBank


class AgreementOut(Schema):
    id: int
    bank: str
    payer_id: int
    payer: str
    department_id: int | None
    department: str | None
    payer_name: str
    payer_account_masked: str  # ****last4: the account and the MAC key are never answered
    mac_alg: str
    pay_within_working_days: int | None
    report_within_days: int | None
    valid_from: str
    valid_to: str | None
    has_document: bool


class BankOut(Schema):
    id: int
    code: str
    name: str
    organization_id: int
    organization: str
    is_active: bool
    agreements: list[AgreementOut]


class BanksOut(Schema):
    banks: list[BankOut]
    other_agreements: list[AgreementOut]  # this region's payers with a bank registered outside it


class BankCreateIn(Schema):
    code: str
    name: str
    organization: int


def _agreement_out(a) -> dict:
    return {"id": a.pk, "bank": a.bank.code, "payer_id": a.payer_id, "payer": a.payer.name,
            "department_id": a.department_id, "department": a.department.name if a.department_id else None,
            "payer_name": a.payer_name, "payer_account_masked": f"****{a.payer_account_last4}",
            "mac_alg": a.mac_alg, "pay_within_working_days": a.pay_within_working_days,
            "report_within_days": a.report_within_days, "valid_from": a.valid_from.isoformat(),
            "valid_to": _iso(a.valid_to), "has_document": bool(getattr(a, "has_document", False))}


def _bank_out(b, agreements) -> dict:
    return {"id": b.pk, "code": b.code, "name": b.name, "organization_id": b.organization_id,
            "organization": b.organization.name, "is_active": b.is_active,
            "agreements": [_agreement_out(a) for a in agreements]}


@router.get("/banks", response=BanksOut, url_name="payments_api_banks", operation_id="yikatong_payments_api_bank_list",
            summary="本辖区的代发银行及其代发协议（付款账号只显示后四位，不返回 MAC 密钥）")
def bank_list(request):
    _readers_only(request)
    by_bank: dict[int, list] = {}
    for a in selectors.agreements_for(request.user).order_by("bank__code", "-valid_from", "pk"):
        by_bank.setdefault(a.bank_id, []).append(a)
    out = [_bank_out(b, by_bank.pop(b.pk, [])) for b in selectors.banks_for(request.user).order_by("code")]
    return {"banks": out, "other_agreements": [_agreement_out(a) for group in by_bank.values() for a in group]}


@router.post("/banks", response={201: BankOut}, url_name="payments_api_bank_create",
             summary="登记代发银行（系统管理员；organization 为本辖区“代发金融机构”单位的 id）", operation_id="yikatong_payments_api_bank_create")
def bank_create(request, payload: BankCreateIn):
    org = get_object_or_404(Organization, pk=payload.organization)
    bank = banks.agent_bank_create(actor=request.user, code=payload.code.strip(), name=payload.name.strip(),
                                   organization=org)
    return Status(201, _bank_out(bank, []))


@router.post("/agreements", response={201: AgreementOut}, url_name="payments_api_agreement_create",
             summary="登记代发协议（系统管理员；multipart：bank（银行 id）、payer（财政局 id）、可选 department、"
                     "payer_account、payer_name、mac_key（十六进制，至少 16 字节）、valid_from、可选 valid_to、"
                     "mac_alg、pay_within_working_days、report_within_days，可选文件 document 已签署的协议文本）；"
                     "应答不含密钥和完整账号", operation_id="yikatong_payments_api_agreement_create")
def agreement_create(request, bank: int = Form(...), payer: int = Form(...), department: int | None = Form(None),
                     payer_account: str = Form(...), payer_name: str = Form(...), mac_key: str = Form(...),
                     valid_from: datetime.date = Form(...), valid_to: datetime.date | None = Form(None),
                     mac_alg: str = Form(""), pay_within_working_days: int | None = Form(None),
                     report_within_days: int | None = Form(None), document: UploadedFile | None = File(None)):
    the_bank = get_object_or_404(AgentBank, pk=bank)
    the_payer = get_object_or_404(Organization, pk=payer)
    the_department = get_object_or_404(Organization, pk=department) if department is not None else None
    a = banks.agreement_create(
        actor=request.user, bank=the_bank, payer=the_payer, department=the_department,
        payer_account="".join(payer_account.split()), payer_name=payer_name.strip(),
        mac_key=banks.mac_key_from_text(mac_key), valid_from=valid_from, valid_to=valid_to, mac_alg=mac_alg or None,
        document=document, pay_within_working_days=pay_within_working_days, report_within_days=report_within_days)
    a.has_document = document is not None
    return Status(201, _agreement_out(a))


@router.get("/agreements/{agreement_id}/document", url_name="payments_api_agreement_document",
            summary="下载代发协议的已签署文本（财政、国库、监督人员，本辖区）", operation_id="yikatong_payments_api_agreement_document")
def agreement_document(request, agreement_id: int):
    doc = get_object_or_404(selectors.agreement_documents_for(request.user), agreement_id=agreement_id)
    return download_response(doc.data(), filename=doc.filename, content_type=doc.content_type)


class SurveyOut(Schema):
    id: int
    bank: str
    year: int
    respondents: int
    satisfied: int
    score: int
    findings: str
    has_report: bool


def _survey_out(s) -> dict:
    return {"id": s.pk, "bank": s.bank.code, "year": s.year, "respondents": s.respondents, "satisfied": s.satisfied,
            "score": s.score, "findings": s.findings, "has_report": bool(s.report_sha256)}


class SurveysOut(Schema):
    offered: bool  # the profile asks for the yearly survey (LocalProfile.bank_service_survey)
    surveys: list[SurveyOut]


@router.get("/bank-surveys", response=SurveysOut, url_name="payments_api_surveys",
            summary="代发银行满意度调查结果（按银行、年度）", operation_id="yikatong_payments_api_survey_list")
def survey_list(request):
    from . import surveys

    _readers_only(request)
    return {"offered": surveys.offered(),
            "surveys": [_survey_out(s) for s in surveys.surveys_for(request.user).order_by("bank__code", "-year")]}


@router.post("/bank-surveys", response={201: SurveyOut}, url_name="payments_api_survey_create",
             summary="登记代发银行年度满意度调查（财政业务科室；multipart：bank、year、respondents、satisfied、score、"
                     "findings，可选文件 report；每家银行每年一次）", operation_id="yikatong_payments_api_survey_create")
def survey_create(request, bank: int = Form(...), year: int = Form(...), respondents: int = Form(...),
                  satisfied: int = Form(...), score: int = Form(...), findings: str = Form(""),
                  report: UploadedFile | None = File(None)):
    from . import surveys

    get_object_or_404(selectors.banks_for(request.user), pk=bank)
    s = surveys.survey_record(actor=request.user, bank_id=bank, year=year, respondents=respondents,
                              satisfied=satisfied, score=score, findings=findings,
                              report_name=report.name if report else "",
                              report_data=uploads.read(request, report, "attachment") if report else None)
    return Status(201, _survey_out(s))


@router.get("/bank-surveys/{survey_id}/report", url_name="payments_api_survey_report",
            summary="下载满意度调查报告", operation_id="yikatong_payments_api_survey_report")
def survey_report(request, survey_id: int):
    from . import surveys

    s = get_object_or_404(surveys.surveys_for(request.user).exclude(report_sha256=""), pk=survey_id)
    return download_response(s.report(), filename=s.report_name, content_type=s.report_type)
