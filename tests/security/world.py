"""The world the security walk runs in: county A (the real demo county 141024, every kind of object,
its people renamed to marker names) and identities that must see none of it.

    build() -> World      call inside a transaction the caller rolls back (the root conftest.py)

County A's secrets — marker names, full ID numbers, account numbers, phones, batch codes — are
collected in plaintext so a response can be searched for any of them (World.leaks).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.management import call_command
from django.utils import timezone

from tests.support import factories
from tests.support.factories import region as _region
from yikatong.accounts.models import ApiToken, Organization, OrgKind, User
from yikatong.accounts.roles import Role
from yikatong.regions.models import Region

COUNTY_A = "141024"
COUNTY_B = "140702"  # conftest.regions["other_county"]: 晋中市榆次区
MARKER = "甲标记"
MARKER_RE = re.compile(MARKER + r"\d+")
_DIGITS = re.compile(r"[0-9]{11,}[0-9Xx]?")
PASSWORD = "Ykt-walk-pass-1"


@dataclass
class World:
    identities: dict[str, User | None]
    params: dict[str, dict[str, str]]  # URL name -> path parameter values (objects of county A)
    secrets: set[str]  # full ID numbers, account numbers, phones of county A
    codes: set[str]  # batch codes, clue numbers of county A
    a_users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)  # request-body field -> a value of county A
    baseline: dict = field(default_factory=dict)  # fingerprint() after building
    baseline_seq: int = 0  # the last audit event after building

    def leaks(self, body: str) -> list[str]:
        """County A data found in `body`: marker names, unmasked identifiers, batch / case codes."""
        found = MARKER_RE.findall(body)
        for run in _DIGITS.findall(body):
            found += [s for s in self.secrets if s in run.upper()]
        found += [c for c in self.codes if c in body]
        return sorted(set(found))


def _user(username: str, org: Organization, *roles: str) -> User:
    return factories.user(username, org, *roles, password=PASSWORD)


def _org(code: str, kind: str, region: Region, line: str = "") -> Organization:
    return factories.organization(region, kind, code=code, name=f"{region.name}{OrgKind(kind).label}", line=line)


# county B: the organization kind and level each role works at
_B_ORG = {
    Role.VILLAGE_CLERK: (OrgKind.VILLAGE, "village"),
    Role.TOWNSHIP_OPERATOR: (OrgKind.TOWNSHIP_STATION, "town"),
    Role.TOWNSHIP_FINANCE: (OrgKind.TOWNSHIP_FINANCE, "town"),
    Role.TOWNSHIP_HEAD: (OrgKind.TOWNSHIP, "town"),
    Role.DEPT_REVIEWER: (OrgKind.LINE_DEPARTMENT, "county"),
    Role.DEPT_HEAD: (OrgKind.LINE_DEPARTMENT, "county"),
    Role.FINANCE_REVIEWER: (OrgKind.FINANCE_BUREAU, "county"),
    Role.TREASURY: (OrgKind.FINANCE_BUREAU, "county"),
    Role.BANK: (OrgKind.AGENT_BANK, "county"),
    Role.SUPERVISOR: (OrgKind.SUPERVISION, "county"),
    Role.DISCLOSURE_ADMIN: (OrgKind.DISCLOSURE, "county"),
    Role.SYSADMIN: (OrgKind.FINANCE_BUREAU, "county"),
}


# Everyone who must see nothing of county A (names known at collection time, for test ids)
IDENTITY_NAMES = (["anonymous"] + [f"B_{role}" for role in _B_ORG]
                  + ["A_clerk_of_another_township", "A_no_role_public"])


def _county_b() -> dict[str, User]:
    sx = _region("14", "山西省", 1, None)
    jz = _region("1407", "晋中市", 2, sx)
    county = _region(COUNTY_B, "榆次区", 3, jz)
    town = _region(COUNTY_B + "100", "乙县某镇", 4, county)
    village = _region(COUNTY_B + "100001", "乙县某村", 5, town)
    at = {"county": county, "town": town, "village": village}
    users = {}
    for role, (kind, level) in _B_ORG.items():
        org = _org(f"B-{kind}-{at[level].code}", kind, at[level], line="mz" if kind == OrgKind.LINE_DEPARTMENT else "")
        users[f"B_{role}"] = _user(f"b_{role}", org, role)
    return users


def _mark_people() -> None:
    """Rename every person (register, roster items, reference records) of county A to a marker name."""
    from yikatong.registry.models import Person, ReferenceRecord
    from yikatong.rosters.models import BatchItem

    names = {}
    people = list(Person.objects.filter(village__code__startswith=COUNTY_A))
    for p in people:
        p.name = names[p.pk] = f"{MARKER}{p.pk}"
    Person.objects.bulk_update(people, ["name"])
    items = list(BatchItem.objects.filter(batch__region__code__startswith=COUNTY_A))
    for it in items:
        it.name = names.get(it.person_id) or f"{MARKER}9{it.pk}"
        it.account_holder = it.name if it.account_holder else ""
    BatchItem.objects.bulk_update(items, ["name", "account_holder"])
    refs = list(ReferenceRecord.objects.exclude(name=""))
    for r in refs:
        r.name = f"{MARKER}8{r.pk}"
    ReferenceRecord.objects.bulk_update(refs, ["name"])
    from yikatong.registry.models import BankAccount
    accounts = list(BankAccount.objects.exclude(holder_name=""))
    for a in accounts:
        a.holder_name = names.get(a.person_id) or f"{MARKER}7{a.pk}"
    BankAccount.objects.bulk_update(accounts, ["holder_name"])


def _secrets() -> set[str]:
    from yikatong.payments.models import BankAgreement
    from yikatong.registry.models import BankAccount, Person, ReferenceRecord
    from yikatong.core.crypto import vault
    from yikatong.rosters.models import BatchItem

    v = vault()
    out = set()
    for enc, phone in Person.objects.values_list("id_enc", "phone_enc"):
        out.add(v.decrypt(enc))
        if phone:
            out.add(v.decrypt(phone))
    out.update(v.decrypt(e) for e in BankAccount.objects.values_list("number_enc", flat=True))
    for ide, acc, phone in BatchItem.objects.values_list("id_enc", "account_enc", "phone_enc"):
        out.update(v.decrypt(x) for x in (ide, acc, phone) if x)
    from yikatong.disclosure.models import Complaint
    out.update(v.decrypt(p) for p in Complaint.objects.exclude(phone_enc="").values_list("phone_enc", flat=True))
    from yikatong.registry.models import AccountChangeRequest
    out.update(v.decrypt(e) for e in AccountChangeRequest.objects.values_list("number_enc", flat=True))
    for ide in ReferenceRecord.objects.values_list("id_enc", flat=True):
        if ide:
            out.add(v.decrypt(ide))
    from yikatong.core.crypto import decrypt
    for enc in BankAgreement.objects.values_list("payer_account_encrypted", flat=True):
        out.add(decrypt(enc))
    return {s.upper() for s in out if s and len(s) >= 11}


def _extras(a: dict[str, User]) -> dict[str, int]:
    """Objects the demo does not make: an objection, a change request, a clue with evidence, a token, a holiday."""
    from yikatong.checks.evidence import Upload, store
    from yikatong.checks.models import Finding
    from yikatong.core.services import holiday_set
    from yikatong.accounts.services import issue_api_token
    from yikatong.policies.models import PolicyCatalogue
    from yikatong.policies.services.changes import change_request_file
    from yikatong.rosters.models import BatchItem, Notice, Objection
    from yikatong.supervision.transfer import open_clue

    now = timezone.now()
    notice = Notice.objects.filter(batch__region__code__startswith=COUNTY_A).first()
    item = BatchItem.objects.filter(batch=notice.batch).first()
    objection = Objection.objects.create(notice=notice, raised_by=f"{MARKER}6001", content=f"{MARKER}6002 异议", item=item)
    cat = PolicyCatalogue.objects.get(region_id=Region.full_code(COUNTY_A), state="published")
    policy = cat.policies.filter(department=a["mz_shenhe"].organization).first() or cat.policies.first()
    # a change request is the county's business, not personal data: no marker (the public catalogue names it)
    change = change_request_file(actor=a["mz_shenhe"], catalogue=cat, kind="retire", reason="walk",
                                 policy_code=policy.code)
    finding = Finding.objects.filter(batch__region__code__startswith=COUNTY_A).exclude(clue__isnull=False).first()
    clue = open_clue(actor=a["mz_shenhe"], finding=finding, reason=f"{MARKER}6005", now=now)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    evidence = store(finding=finding, actor=a["mz_shenhe"], text="", files=[(Upload("甲证据.png", png), "image/png")],
                     now=now)[0]
    issue_api_token(user=a["czj_ks"], name="walk")
    token = ApiToken.objects.filter(user=a["czj_ks"]).latest("pk")
    day = dt.date(2031, 1, 2)
    holiday_set(actor=None, date=day, is_workday=False, name="walk")
    application = _application(a, policy, now)
    account_change = _account_change(a, png)
    fund_return, survey = _bank_obligations(a, png)
    published = _published_list(a, notice.batch, now)
    upward_export = _upward_export(a)
    plan, sample, inspection_evidence = _inspection(a, png)
    recovery, repayment = _recovery(a, finding, clue, png, now)
    report = _monitoring_report(a)
    from yikatong.disclosure.complaints import complaint_file
    complaint = complaint_file(kind="complaint", region_code=item.batch.region_id, text=f"{MARKER}6020 投诉",
                               policy_id=policy.pk, contact_name=f"{MARKER}6021", phone="13900001234",
                               attachment=("甲投诉.png", "image/png", png)).complaint
    return {"published_list": published.pk, "published_public_id": published.public_id,
            "objection": objection.pk, "change": change.pk, "clue": clue.pk, "evidence": evidence.pk,
            "complaint": complaint.pk,
            "token": token.pk, "finding": finding.pk, "holiday": day.isoformat(), "application": application,
            "account_change": account_change, "notice": notice.pk, "notice_batch": notice.batch_id,
            "fund_return_order": fund_return.order_id, "survey": survey.pk, "upward": upward_export.pk,
            "inspection": plan, "inspection_sample": sample, "inspection_evidence": inspection_evidence,
            "recovery": recovery.pk, "repayment": repayment.pk,
            "report": report.pk}


def _inspection(a: dict[str, User], png: bytes) -> tuple[int, int, int]:
    """County A's inspection plan (issue 16 §3), drawn and in progress, one failed result with evidence; the
    sample id is one still without a result."""
    from yikatong.checks.evidence import Upload
    from yikatong.rosters.models import Batch
    from yikatong.supervision import inspection_results, inspections, sampling

    paid = Batch.objects.filter(region__code__startswith=COUNTY_A, state__in=sampling.PAID_STATES).order_by("pk").first()
    sup = a["shenji"]
    plan = inspections.plan_create(actor=sup, region_code=Region.full_code(COUNTY_A), period=paid.period,
                                   methods=["phone", "visit"], sampling_kind="risk_weighted", sample_size=3)
    inspections.plan_draw(actor=sup, plan_id=plan.pk, seed=20261)
    inspections.plan_start(actor=sup, plan_id=plan.pk)
    first, second = list(plan.samples.order_by("rank"))[:2]
    result = inspection_results.result_record(actor=sup, sample_id=first.pk, method="visit", outcome="fail",
                                              notes=f"{MARKER}6030 入户核实不符", evidence_files=[Upload("甲抽查.png", png)])
    return plan.pk, second.pk, result.evidence.get().pk


def _recovery(a: dict[str, User], finding, clue, png: bytes, now):
    """The demo's recovery (追回, issue 16 §4) of a county A item, attached to the walk's clue, with its sealed
    repayment voucher and a sanction; its debtor renamed to a marker name (shown masked only)."""
    from yikatong.supervision.models import Recovery, Sanction

    r = Recovery.objects.filter(region__code__startswith=COUNTY_A).order_by("pk").first()
    Recovery.objects.filter(pk=r.pk).update(clue=clue, debtor_name=f"{MARKER}6030", reason=f"{MARKER}6031")
    Sanction.objects.create(recovery=r, position="村会计", measure="criticism", decided_on=dt.date(2026, 1, 6),
                            doc_number="洪纪〔2026〕1号", recorded_by=a["czj_ks"])
    return r, r.repayments.order_by("pk").first()


def _monitoring_report(a: dict[str, User]):
    """County A's approved monitoring report of November (issue 16 §1), filled from its data and frozen."""
    from yikatong.reports import figures, services as report_services
    from yikatong.reports.models import MonitoringReport

    org = a["czj_ks"].organization
    report = MonitoringReport.objects.create(
        definition="003_county_monthly", title="补贴资金发放情况月报（区县）", level="county", next_level="市财政局",
        organization=org, region=org.region, year=2026, month=11, due_on=dt.date(2026, 12, 7), state="approved",
        content=figures.collect(region=org.region, year=2026, month=11), built_at=timezone.now(),
        created_by=a["czj_ks"], submitted_by=a["czj_ks"], submitted_at=timezone.now())
    report.frozen, report.frozen_sha256 = report_services.frozen_of(report)
    report.save(update_fields=["frozen", "frozen_sha256"])
    return report


def _upward_export(a: dict[str, User]):
    """County A's upward exchange file of the month of its first answered order (issue 16 §6): full IDs inside."""
    from yikatong.payments.models import PaymentOrder
    from yikatong.payments.upward import last_month, upward_export

    day = (PaymentOrder.objects.filter(batch__region__code__startswith=COUNTY_A, business_date__isnull=False)
           .order_by("pk").values_list("business_date", flat=True).first())
    period = f"{day:%Y-%m}" if day and f"{day:%Y-%m}" <= f"{timezone.localdate():%Y-%m}" else last_month()
    return upward_export(actor=a["czj_ks"], county_code=COUNTY_A, period=period)


def _published_list(a: dict[str, User], batch, now):
    """A published notice list of county A (disclosure, issue 15): public by design, so its rows carry no
    marker (the walk checks that nothing else of the county shows next to it)."""
    from yikatong.disclosure import publish_content
    from yikatong.disclosure.models import PublishedList

    content = {"header": {"title": publish_content.title_of(batch, "notice"), "count": 1, "total_fen": 100},
               "rows": [{"seq": 1, "name": "公示对象", "id": "1410**********0000", "village": "", "quantity": "1",
                         "standard_fen": 100, "amount_fen": 100}]}
    admin = _user("a_disclosure", a["czj_ks"].organization, Role.DISCLOSURE_ADMIN)
    # the notice went online when it was registered (disclosure.publish_auto), with the items' marked names:
    # the walk's public list is this unmarked one instead
    PublishedList.objects.filter(batch=batch).delete()
    return PublishedList.objects.create(
        batch=batch, kind="notice", version=1, public_id="walkpublishedlist00001", title=content["header"]["title"],
        content=content, digest=publish_content.digest(content), row_count=1, total_fen=100, published_by=admin,
        published_at=now)


def _application(a: dict[str, User], policy, now) -> int:
    """An application (申请) of one of county A's people, submitted in their village (the demo takes none)."""
    from yikatong.applications.models import Application
    from yikatong.core.crypto import vault
    from yikatong.core.masking import mask_card, mask_id_number
    from yikatong.registry.models import BankAccount, Person

    v = vault()
    person = Person.objects.filter(village__code__startswith=COUNTY_A, accounts__is_current=True).order_by("pk").first()
    account = v.decrypt(BankAccount.objects.get(person=person, is_current=True).number_enc)
    id_number = v.decrypt(person.id_enc)
    return Application.objects.create(
        policy=policy, policy_code=policy.code, year=now.year, village=person.village, department=policy.department,
        profile_code="000", name=f"{MARKER}6010", id_enc=person.id_enc, id_bidx=v.id_index(id_number),
        id_masked=mask_id_number(id_number), account_enc=v.encrypt(account), account_masked=mask_card(account),
        amount_fen=10000, state="submitted", state_since=now, created_by=a["czj_ks"]).pk


def _account_change(a: dict[str, User], attachment: bytes) -> int:
    """A pending account change request (账户变更申请) of a county A person, with an attachment; its new
    number is one of county A's secrets."""
    from yikatong.core import sealed
    from yikatong.core.crypto import vault
    from yikatong.core.masking import mask_card
    from yikatong.registry.models import AccountChangeRequest, BankAccount, CardFollowUp, Person
    from yikatong.registry.models.cards import CHANGE_ATTACHMENT_PURPOSE

    v = vault()
    person = Person.objects.filter(village__code__startswith=COUNTY_A, accounts__is_current=True).order_by("pk").first()
    number = "6228480012345670015"
    box = sealed.seal(attachment, purpose=CHANGE_ATTACHMENT_PURPOSE)
    req = AccountChangeRequest.objects.create(
        person=person, old_account=BankAccount.objects.get(person=person, is_current=True), bank="甲银行",
        number_enc=v.encrypt(number), number_bidx=v.index(number), number_masked=mask_card(number),
        holder_name=person.name, reason=f"{MARKER}6010", effective_date=dt.date(2030, 1, 1), requested_by=a["czs"],
        attachment_name="甲申请.png", attachment_type="image/png", attachment_sha256=box.sha256,
        attachment_enc=box.blob)
    CardFollowUp.objects.create(person=person, contacted_on=dt.date(2026, 1, 5), result="pending",
                                note=f"{MARKER}6011", actor=a["czs"])
    return req.pk


def _bank_obligations(a: dict[str, User], png: bytes):
    """A failed-funds return with its receipt and a bank survey with its report (issue 14): the demo makes neither."""
    from yikatong.core import sealed
    from yikatong.payments.exchange.storage import RECEIPT_PURPOSE, SURVEY_PURPOSE
    from yikatong.payments.models import BankSurvey, FundReturn, PaymentOrder

    order = PaymentOrder.objects.filter(batch__region__code__startswith=COUNTY_A).order_by("pk").first()
    box = sealed.seal(png, purpose=RECEIPT_PURPOSE)
    fund_return = FundReturn.objects.create(
        order=order, amount_fen=order.failed_fen or 1, returned_on=dt.date(2026, 1, 5), line_count=1,
        receipt_name="退回回单.png", receipt_type="image/png", receipt_size=box.size, receipt_sha256=box.sha256,
        receipt_enc=box.blob, recorded_by=a["czj_ks"])
    box = sealed.seal(png, purpose=SURVEY_PURPOSE)
    bank = order.agreement.bank
    survey = BankSurvey.objects.create(
        bank=bank, region_id=bank.organization.region_id, year=2025, respondents=10, satisfied=9, score=90,
        report_name="调查报告.png", report_type="image/png", report_sha256=box.sha256, report_enc=box.blob,
        recorded_by=a["czj_ks"])
    return fund_return, survey


def _params(a: dict[str, User], x: dict) -> dict[str, dict[str, str]]:
    from yikatong.core.profiles import get_profile
    from yikatong.funds.models import FundAllocation, FundQuota
    from yikatong.jobs.models import Job
    from yikatong.payments.models import AgreementDocument, ItemStatus, PaymentOrder, PaymentOrderItem
    from yikatong.policies.models import Policy, PolicyBasis, PolicyCatalogue
    from yikatong.registry.models import Person, RegisterImport
    from yikatong.rosters import flows
    from yikatong.rosters.models import Attachment, Batch, ImportRun
    from yikatong.checks.models import Rule

    batches = Batch.objects.filter(region__code__startswith=COUNTY_A)
    draft = batches.filter(state="draft").first()
    review = batches.filter(state="dept_review").first() or draft
    paid = PaymentOrder.objects.filter(batch__region__code__startswith=COUNTY_A).order_by("pk").first()
    action = next(t.action for t in flows.transitions_for(get_profile(review.profile_code))
                  if t.source == review.state and not t.is_system)
    person = Person.objects.filter(village__code__startswith=COUNTY_A).order_by("pk").first()
    cat = PolicyCatalogue.objects.filter(region__code__startswith=COUNTY_A).order_by("-pk").first()
    policy = Policy.objects.filter(catalogue=cat).first()
    basis = PolicyBasis.objects.filter(policy=policy).first()
    quota = FundQuota.objects.filter(region__code__startswith=COUNTY_A).first()
    allocation = FundAllocation.objects.filter(quota__region__code__startswith=COUNTY_A).first()
    failed = PaymentOrderItem.objects.filter(order=paid, status=ItemStatus.FAILED).first()
    run = ImportRun.objects.filter(batch__region__code__startswith=COUNTY_A).first()
    job = Job.objects.order_by("pk").first()
    imp = RegisterImport.objects.filter(region__code__startswith=COUNTY_A).first()
    rule = Rule.objects.order_by("pk").first()
    attachment = Attachment.objects.filter(batch__region__code__startswith=COUNTY_A).order_by("pk").first()
    document = AgreementDocument.objects.order_by("pk").first()
    assert all(o is not None for o in (draft, paid, person, policy, basis, quota, allocation, failed, run, job, imp,
                                       attachment, document))
    b, o = {"batch_id": str(review.pk)}, {"pk": str(paid.pk)}
    county = Region.objects.get(code=Region.full_code(COUNTY_A))
    return {
        "token_revoke": {"token_id": str(x["token"])}, "api:revoke_token": {"token_id": str(x["token"])},
        "attachment_download": {"batch_id": str(attachment.batch_id), "attachment_id": str(attachment.pk)},
        "payments_agreement_document": {"pk": str(document.agreement_id)},
        "user_admin_action": {"user_id": str(a["czs"].pk), "action": "reset-password"},
        "api:user_change": {"user_id": str(a["czs"].pk)},
        "job_detail": {"job_id": str(job.pk)}, "job_progress": {"job_id": str(job.pk)},
        "api:job": {"job_id": str(job.pk)},
        "api:rosters_batch": b, "api:rosters_batch_roster": b, "api:checks_batch_run": b,
        "api:rosters_batch_transition": {**b, "name": action},
        "holiday_delete": {"day": x["holiday"]},
        "policy_catalogue": {"pk": str(cat.pk)}, "policy_catalogue_diff": {"pk": str(cat.pk)},
        "policy_catalogue_transition": {"pk": str(cat.pk), "action": "submit"},
        "policy_add": {"pk": str(cat.pk)},
        "policy_detail": {"pk": str(policy.pk)}, "policy_edit": {"pk": str(policy.pk)},
        "policy_remove": {"pk": str(policy.pk)},
        "policy_basis_upload": {"pk": str(basis.pk)}, "policy_basis_file": {"pk": str(basis.pk)},
        "policy_change_create": {"catalogue_pk": str(cat.pk)},
        "policy_change": {"pk": str(x["change"])}, "policy_change_decide": {"pk": str(x["change"])},
        "policy_change_attachment": {"pk": str(x["change"])},
        "api:catalogue": {"catalogue_id": str(cat.pk)},
        "fund_quota": {"pk": str(quota.pk)}, "fund_allocate": {"pk": str(quota.pk)},
        "api:quota": {"quota_id": str(quota.pk)},
        "fund_allocation_issue": {"pk": str(allocation.pk)}, "fund_allocation_cancel": {"pk": str(allocation.pk)},
        "registry_person": {"person_id": str(person.pk)}, "api:person": {"person_id": str(person.pk)},
        "registry_reveal": {"person_id": str(person.pk), "field": "id_number"},
        "registry_life_event": {"person_id": str(person.pk)},
        "registry_import": {"import_id": str(imp.pk)},
        "registry_card_followup": {"person_id": str(person.pk)},
        "registry_account_history": {"person_id": str(person.pk)},
        "registry_account_change_new": {"person_id": str(person.pk)},
        "registry_account_change": {"request_id": str(x["account_change"])},
        "registry_account_change_decide": {"request_id": str(x["account_change"])},
        "registry_account_change_attachment": {"request_id": str(x["account_change"])},
        "api:registry_card_followup": {"person_id": str(person.pk)},
        "api:registry_account_history": {"person_id": str(person.pk)},
        "api:registry_account_change_new": {"person_id": str(person.pk)},
        "api:registry_account_change": {"request_id": str(x["account_change"])},
        "api:registry_account_change_decide": {"request_id": str(x["account_change"])},
        "api:registry_account_change_attachment": {"request_id": str(x["account_change"])},
        "batch_detail": b, "batch_import": b, "item_add": b, "item_edit": b, "notice_record": b,
        "objection_record": b, "attachment_add": b, "batch_template": b, "batch_roster_xlsx": b,
        "batch_summary_xlsx": b, "batch_cards": b, "batch_cards_xlsx": b, "api:rosters_batch_cards": b,
        "payments_failures": {"batch_id": str(paid.batch_id)},
        "payments_reissue": {"batch_id": str(paid.batch_id)}, "payee_fix": {"batch_id": str(paid.batch_id)},
        "payments_notice": {"batch_id": str(paid.batch_id)},
        "batch_transition": {**b, "action": action},
        "batch_print": {**b, "what": "roster"},
        "item_remove": {"batch_id": str(draft.pk), "item_id": str(draft.items.first().pk)},
        "objection_resolve": {"batch_id": str(x["objection_batch"]), "objection_id": str(x["objection"])},
        "import_result": {"run_id": str(run.pk)}, "import_problems_xlsx": {"run_id": str(run.pk)},
        "payments_order": o, "payments_order_release": o, "payments_order_send": o, "payments_order_resend": o,
        "payments_order_file": o, "payments_order_confirm_rejection": o,
        "payments_write_off": {"pk": str(failed.pk)},
        "payments_clear": {"quota_id": str(quota.pk)},
        "payments_fund_return": {"pk": str(x["fund_return_order"])},
        "payments_fund_return_receipt": {"pk": str(x["fund_return_order"])},
        "payments_survey_report": {"pk": str(x["survey"])},
        "payments_upward_file": {"pk": str(x["upward"]), "fmt": "csv"},
        "api:payments_api_upward_file": {"export_id": str(x["upward"]), "fmt": "csv"},
        "api:payments_api_fund_return": {"order_id": str(x["fund_return_order"])},
        "api:payments_api_fund_return_receipt": {"order_id": str(x["fund_return_order"])},
        "api:payments_api_survey_report": {"survey_id": str(x["survey"])},
        "notice_assembly_record": {"batch_id": str(x["notice_batch"]), "notice_id": str(x["notice"])},
        "post_payment_notice_record": {"batch_id": str(paid.batch_id)},
        "api:rosters_notice_assembly": {"batch_id": str(x["notice_batch"]), "notice_id": str(x["notice"])},
        "api:rosters_post_payment_notice": {"batch_id": str(paid.batch_id)},
        # the payments API (payments/api.py): the same objects as the pages
        "api:payments_api_order": {"order_id": o["pk"]}, "api:payments_api_order_release": {"order_id": o["pk"]},
        "api:payments_api_order_send": {"order_id": o["pk"]}, "api:payments_api_order_resend": {"order_id": o["pk"]},
        "api:payments_api_order_file": {"order_id": o["pk"]},
        "api:payments_api_order_confirm_rejection": {"order_id": o["pk"]},
        "api:payments_api_write_off": {"item_id": str(failed.pk)},
        "api:payments_api_failures": {"batch_id": str(paid.batch_id)},
        "api:payments_api_reissue": {"batch_id": str(paid.batch_id)},
        "api:payments_api_payee_fix": {"batch_id": str(paid.batch_id)},
        "api:payments_api_notice": {"batch_id": str(paid.batch_id)},
        "api:payments_api_clear": {"quota_id": str(quota.pk)},
        "api:payments_api_agreement_document": {"agreement_id": str(document.agreement_id)},
        "checks_finding_dispose": {"finding_id": str(x["finding"])},
        "checks_finding_review": {"finding_id": str(x["finding"])},
        "api:dispose": {"finding_id": str(x["finding"])}, "api:confirm_clear": {"finding_id": str(x["finding"])},
        "api:reject_clear": {"finding_id": str(x["finding"])},
        "api:set_setting": {"code": rule.code},
        "supervision_clue": {"pk": str(x["clue"])}, "supervision_clue_start": {"pk": str(x["clue"])},
        "supervision_clue_note": {"pk": str(x["clue"])}, "supervision_clue_conclude": {"pk": str(x["clue"])},
        "supervision_casefile": {"pk": str(x["clue"])},
        "supervision_evidence": {"pk": str(x["evidence"])},
        **{name: {"pk": str(x["inspection"])} for name in (
            "supervision_inspection", "supervision_inspection_draw", "supervision_inspection_start",
            "supervision_inspection_close")},
        "supervision_inspection_result": {"pk": str(x["inspection_sample"])},
        "supervision_inspection_evidence": {"pk": str(x["inspection_evidence"])},
        **{name: {"plan_id": str(x["inspection"])} for name in (
            "api:supervision_inspection_api", "api:supervision_inspection_draw_api", "api:supervision_inspection_start_api",
            "api:supervision_inspection_close_api", "api:supervision_inspection_redraw_api")},
        "api:supervision_inspection_result_api": {"sample_id": str(x["inspection_sample"])},
        "api:supervision_inspection_evidence_api": {"evidence_id": str(x["inspection_evidence"])},
        **{name: {"pk": str(x["recovery"])} for name in (
            "supervision_recovery", "supervision_recovery_repay", "supervision_recovery_write_off",
            "supervision_recovery_transfer", "supervision_recovery_sanction")},
        "supervision_clue_sanction": {"pk": str(x["clue"])},
        "supervision_repayment_evidence": {"pk": str(x["repayment"])},
        **{name: {"recovery_id": str(x["recovery"])} for name in (
            "api:supervision_recovery_api", "api:supervision_recovery_repay_api", "api:supervision_recovery_write_off_api",
            "api:supervision_recovery_transfer_api", "api:supervision_recovery_sanction_api")},
        "api:supervision_clue_sanction_api": {"clue_id": str(x["clue"])},
        "api:supervision_repayment_evidence_api": {"repayment_id": str(x["repayment"])},
        "public_policy_list": {"region_code": county.code}, "public_policy_export": {"region_code": county.code},
        "public_policy_detail": {"region_code": county.code, "code": policy.code},
        "public_policy_basis": {"region_code": county.code, "code": policy.code, "pk": str(basis.pk)},
        "api:published": {"region_code": county.code},
        # disclosure, published lists (issue 15, publish)
        "public_list_region": {"region_code": county.code},
        "public_list_detail": {"public_id": x["published_public_id"]},
        "disclosure_list_publish": {"batch_id": str(x["notice_batch"])},
        "disclosure_list_withdraw": {"list_id": str(x["published_list"])},
        "api:disclosure_api_list_publish": {"batch_id": str(x["notice_batch"])},
        "api:disclosure_api_list_withdraw": {"list_id": str(x["published_list"])},
        # the operations of issue 17's API for every page action
        "api:rosters_batch_items": b, "api:rosters_notices": b, "api:rosters_attachments": b, "api:rosters_item_add": b, "api:rosters_notice_record": b,
        "api:rosters_objection_record": b, "api:rosters_attachment_add": b, "api:rosters_batch_roster_xlsx": b,
        "api:rosters_batch_template": b, "api:rosters_batch_summary_xlsx": b,
        "api:rosters_item_edit": {"item_id": str(draft.items.first().pk)},
        "api:rosters_item_remove": {"item_id": str(draft.items.first().pk)},
        "api:rosters_import": {"run_id": str(run.pk)},
        "api:rosters_objection_resolve": {"objection_id": str(x["objection"])},
        "api:rosters_attachment_download": {"batch_id": str(attachment.batch_id), "attachment_id": str(attachment.pk)},
        "api:policies_catalogue_transition": {"catalogue_id": str(cat.pk), "action": "submit"},
        "api:policies_policy_add": {"catalogue_id": str(cat.pk)}, "api:policies_change_file": {"catalogue_id": str(cat.pk)},
        "api:policies_policy": {"policy_id": str(policy.pk)}, "api:policies_policy_update": {"policy_id": str(policy.pk)},
        "api:policies_policy_remove": {"policy_id": str(policy.pk)},
        "api:policies_basis_upload": {"basis_id": str(basis.pk)}, "api:policies_basis_file": {"basis_id": str(basis.pk)},
        "api:policies_change": {"change_id": str(x["change"])}, "api:policies_change_decide": {"change_id": str(x["change"])},
        "api:policies_change_attachment": {"change_id": str(x["change"])},
        "api:funds_allocation_create": {"quota_id": str(quota.pk)},
        "api:funds_allocation_issue": {"allocation_id": str(allocation.pk)},
        "api:funds_allocation_cancel": {"allocation_id": str(allocation.pk)},
        "api:registry_reveal": {"person_id": str(person.pk), "field": "id_number"},
        "api:registry_life_event": {"person_id": str(person.pk)},
        "api:registry_import": {"import_id": str(imp.pk)},
        "api:calendar_holiday_delete": {"day": x["holiday"]},
        "api:supervision_clue_api": {"clue_id": str(x["clue"])},
        # monitoring reports (issue 16 §1)
        **{name: {"pk": str(x["report"])} for name in ("reports_detail", "reports_remarks", "reports_xlsx",
                                                      "reports_print")},
        "reports_transition": {"pk": str(x["report"]), "action": "approve"},
        **{name: {"report_id": str(x["report"])} for name in ("api:reports_detail_api", "api:reports_remarks_api",
                                                             "api:reports_xlsx_api")},
        "api:reports_transition_api": {"report_id": str(x["report"]), "action": "approve"},
        "api:reports_shared_account_lines_api": {"item_id": str(draft.items.first().pk)},  # issue 16 §5b
        # disclosure: complaints
        **{name: {"pk": str(x["complaint"])} for name in (
            "disclosure_complaint", "disclosure_complaint_assign", "disclosure_complaint_reply",
            "disclosure_complaint_attachment", "disclosure_complaint_open_finding", "disclosure_complaint_transfer_clue")},
        **{name: {"complaint_id": str(x["complaint"])} for name in (
            "api:disclosure_complaint_api", "api:disclosure_complaint_assign_api", "api:disclosure_complaint_reply_api",
            "api:disclosure_complaint_attachment_api", "api:disclosure_complaint_open_finding_api",
            "api:disclosure_complaint_transfer_clue_api")},
        "public_list_objection": {"public_id": x["published_public_id"]},
        "api:supervision_clue_start_api": {"clue_id": str(x["clue"])},
        "api:supervision_clue_note_api": {"clue_id": str(x["clue"])},
        "api:supervision_clue_conclude_api": {"clue_id": str(x["clue"])},
        "api:supervision_casefile_api": {"clue_id": str(x["clue"])},
        "api:supervision_evidence_api": {"evidence_id": str(x["evidence"])},
        # application intake (applications)
        **{name: {"application_id": str(x["application"])} for name in (
            "application_detail", "application_village_review", "api:applications_detail",
            "api:applications_village_review")},
        "application_transition": {"application_id": str(x["application"]), "action": "refuse"},
        "api:applications_transition": {"application_id": str(x["application"]), "action": "refuse"},
        "application_pull": {"batch_id": str(draft.pk)}, "api:applications_pull": {"batch_id": str(draft.pk)},
    }


def build() -> World:
    call_command("demo", "--county", COUNTY_A, "--size", "300", stdout=io.StringIO())
    a = {u.username: u for u in User.objects.filter(organization__region__code__startswith=COUNTY_A)}
    _mark_people()
    x = _extras(a)
    from yikatong.rosters.models import Objection
    x["objection_batch"] = Objection.objects.get(pk=x["objection"]).notice.batch_id
    identities: dict[str, User | None] = {"anonymous": None}
    identities.update(_county_b())
    from yikatong.registry.models import Person
    towns = list(Region.objects.filter(code__startswith=COUNTY_A, level=4).order_by("code"))
    # a village of another township where nobody of the demo lives: everything of A is out of its scope
    other_village = towns[1].children.exclude(code__in=Person.objects.values("village_id")).order_by("code").first()
    identities["A_clerk_of_another_township"] = _user(
        "a_clerk_other", _org(f"W-{other_village.code}", OrgKind.VILLAGE, other_village), Role.VILLAGE_CLERK)
    identities["A_no_role_public"] = _user("a_public", a["czj_ks"].organization)
    from yikatong.rosters.models import Batch
    from yikatong.supervision.models import Clue
    codes = set(Batch.objects.filter(region__code__startswith=COUNTY_A).values_list("code", flat=True))
    codes |= set(Clue.objects.values_list("case_no", flat=True))
    from yikatong.supervision.models import InspectionPlan
    codes |= set(InspectionPlan.objects.values_list("plan_no", flat=True))
    from yikatong.supervision.models import Recovery
    codes |= set(Recovery.objects.values_list("recovery_no", flat=True))
    from yikatong.disclosure.models import Complaint
    codes |= set(Complaint.objects.values_list("tracking_no", flat=True))
    from tests.security.fingerprint import fingerprint
    from yikatong.audit.models import AuditEvent
    return World(identities=identities, params=_params(a, x), secrets=_secrets(), codes=codes, a_users=a, ids=x,
                 samples=_samples(), baseline=fingerprint(),
                 baseline_seq=AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0)


def _samples() -> dict[str, str]:
    from yikatong.registry.models import BankAccount, Person
    from yikatong.core.crypto import vault

    v = vault()
    person = Person.objects.filter(village__code__startswith=COUNTY_A, accounts__is_current=True).first()
    account = BankAccount.objects.filter(person=person, is_current=True).first()
    from yikatong.rosters.models import Batch

    batch = Batch.objects.filter(region__code__startswith=COUNTY_A).select_related("policy").order_by("pk").first()
    return {"id_number": v.decrypt(person.id_enc), "name": person.name, "q": MARKER,
            # a batch of county A as POST /api/rosters/batches would create it
            "policy": batch.policy.code, "period": batch.period, "region": batch.region_id,
            "account_no": v.decrypt(account.number_enc) if account else "", "village": person.village.name,
            "township_code": person.village_id[:9], "region_code": person.village_id}
