"""Every action of the UI has its API operation (issue 17).

The test walks every named URL of the pages (the root URL resolver, all apps' urls.py; the API itself,
static files and the health probe excepted) and requires each name in the table below: either the API
operation that does the same thing — "METHOD /api/path/{param}" exactly as in the OpenAPI schema of
`yikatong.api.api` — or an explicit exemption with its reason. It fails when a page's URL name is not
in the table (a new page needs its API operation, or a reason), when a mapped operation is not in the
schema, or when the table names a URL that no longer exists.

PAYMENTS and ACCOUNTS list the operations of the payments API and the users/organisations admin API;
they are checked like the rest.
"""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db(databases=[])


class Exempt(str):
    """No API operation, for the reason given."""


SESSION = Exempt("browser session page (login, logout, password, TOTP): the API authenticates by token")
PRINT = Exempt("HTML print page of data the API returns as JSON or xlsx")

UI = {
    # web shell
    "home": Exempt("home page: navigation and to-do counts of the browser shell; the lists are in their own APIs"),
    # accounts: session pages and the user's own API tokens
    "login": SESSION,
    "logout": SESSION,
    "password_change": SESSION,
    "totp_setup": SESSION,
    "totp_verify": SESSION,
    "tokens": "GET /api/accounts/tokens",
    "token_revoke": "POST /api/accounts/tokens/{token_id}/revoke",
    # jobs
    "jobs": "GET /api/jobs/",
    "job_detail": "GET /api/jobs/{job_id}",
    "job_progress": "GET /api/jobs/{job_id}",
    # working-day calendar (core)
    "holidays": "GET /api/calendar/holidays",
    "holiday_set": "POST /api/calendar/holidays",
    "holiday_delete": "POST /api/calendar/holidays/{day}/delete",
    # audit trail
    "audit_events": "GET /api/audit/events",
    "audit_verify": "POST /api/audit/verify",
    # policies
    "policy_catalogues": "GET /api/policies/catalogues",
    "policy_catalogue_create": "POST /api/policies/catalogues",
    "policy_catalogue": "GET /api/policies/catalogues/{catalogue_id}",
    "policy_catalogue_transition": "POST /api/policies/catalogues/{catalogue_id}/transitions/{action}",
    "policy_catalogue_diff": Exempt("side-by-side comparison page; both versions are read with "
                                    "GET /api/policies/catalogues/{catalogue_id}"),
    "policy_add": "POST /api/policies/catalogues/{catalogue_id}/policies",
    "policy_detail": "GET /api/policies/policies/{policy_id}",
    "policy_edit": "POST /api/policies/policies/{policy_id}",
    "policy_remove": "POST /api/policies/policies/{policy_id}/remove",
    "policy_basis_upload": "POST /api/policies/basis/{basis_id}/file",
    "policy_basis_file": "GET /api/policies/basis/{basis_id}/file",
    "policy_changes": "GET /api/policies/changes",
    "policy_change_create": "POST /api/policies/catalogues/{catalogue_id}/changes",
    "policy_change": "GET /api/policies/changes/{change_id}",
    "policy_change_decide": "POST /api/policies/changes/{change_id}/decide",
    "policy_change_attachment": "GET /api/policies/changes/{change_id}/attachment",
    # public policy pages (anonymous)
    "public_policy_index": Exempt("public region index page for citizens; the API reads a region's list with "
                                  "GET /api/policies/published/{region_code}"),
    "public_policy_list": "GET /api/policies/published/{region_code}",
    "public_policy_export": Exempt("public xlsx download of GET /api/policies/published/{region_code}"),
    "public_policy_detail": "GET /api/policies/published/{region_code}",
    "public_policy_basis": Exempt("public download of a basis document; signed-in users: "
                                  "GET /api/policies/basis/{basis_id}/file"),
    # self-query (本人发放查询, issue 15)
    "public_self_query": Exempt("public page for one person to see their own payments by ID number and name, "
                                "rate limited with a challenge; no API on purpose (no token holder is that person)"),
    # funds
    "fund_quotas": "GET /api/funds/quotas",
    "fund_quota_create": "POST /api/funds/quotas",
    "fund_quota": "GET /api/funds/quotas/{quota_id}",
    "fund_allocate": "POST /api/funds/quotas/{quota_id}/allocations",
    "fund_allocation_issue": "POST /api/funds/allocations/{allocation_id}/issue",
    "fund_allocation_cancel": "POST /api/funds/allocations/{allocation_id}/cancel",
    # registry
    "registry_search": "POST /api/registry/persons/search",
    "registry_person": "GET /api/registry/persons/{person_id}",
    "registry_reveal": "POST /api/registry/persons/{person_id}/reveal/{field}",
    "registry_life_event": "POST /api/registry/persons/{person_id}/events",
    "registry_imports": "POST /api/registry/imports",
    "registry_import": "GET /api/registry/imports/{import_id}",
    "registry_import_template": Exempt("blank xlsx template for people to fill in by hand; API clients send the "
                                       "columns documented on POST /api/registry/imports"),
    "registry_compare": "POST /api/registry/compare",
    "registry_reference": "POST /api/registry/references",
    "registry_cards": "GET /api/registry/cards",
    "registry_cards_export": Exempt("xlsx download of GET /api/registry/cards"),
    "registry_card_followup": "POST /api/registry/persons/{person_id}/card-followups",
    "registry_account_history": "GET /api/registry/persons/{person_id}/accounts",
    "registry_account_change_new": "POST /api/registry/persons/{person_id}/account-changes",
    "registry_account_changes": "GET /api/registry/account-changes",
    "registry_account_change": "GET /api/registry/account-changes/{request_id}",
    "registry_account_change_decide": "POST /api/registry/account-changes/{request_id}/decision",
    "registry_account_change_attachment": "GET /api/registry/account-changes/{request_id}/attachment",
    # rosters
    "batch_list": "GET /api/rosters/batches",
    # application intake (applications)
    "application_list": "GET /api/applications/",
    "application_create": "POST /api/applications/",
    "application_detail": "GET /api/applications/{application_id}",
    "application_village_review": "POST /api/applications/{application_id}/village-review",
    "application_transition": "POST /api/applications/{application_id}/transitions/{action}",
    "application_pull": "POST /api/applications/pull/{batch_id}",
    "batch_create": "POST /api/rosters/batches",
    "county_roster": "POST /api/rosters/county-rosters",
    "rosters_profile": "GET /api/rosters/profile",
    "rosters_missing": "GET /api/rosters/missing",
    "rosters_missing_export": "GET /api/rosters/missing/export",
    "reports_shared_accounts": "GET /api/reports/shared-accounts",
    "reports_shared_accounts_export": "GET /api/reports/shared-accounts/export",
    "reports_person_year": "POST /api/reports/person-year",
    "batch_detail": "GET /api/rosters/batches/{batch_id}",
    "batch_transition": "POST /api/rosters/batches/{batch_id}/transitions/{name}",
    "batch_import": "POST /api/rosters/batches/{batch_id}/roster",
    "import_result": "GET /api/rosters/imports/{run_id}",
    "import_problems_xlsx": Exempt("xlsx download of the problems GET /api/rosters/imports/{run_id} returns"),
    "item_add": "POST /api/rosters/batches/{batch_id}/items",
    "item_remove": "POST /api/rosters/items/{item_id}/remove",
    "item_edit": "POST /api/rosters/items/{item_id}",
    "notice_record": "POST /api/rosters/batches/{batch_id}/notices",
    "notice_assembly_record": "POST /api/rosters/batches/{batch_id}/notices/{notice_id}/assembly",
    "post_payment_notice_record": "POST /api/rosters/batches/{batch_id}/post-payment-notice",
    "objection_record": "POST /api/rosters/batches/{batch_id}/objections",
    "objection_resolve": "POST /api/rosters/objections/{objection_id}/resolve",
    "attachment_add": "POST /api/rosters/batches/{batch_id}/attachments",
    "attachment_download": "GET /api/rosters/batches/{batch_id}/attachments/{attachment_id}",
    "batch_template": "GET /api/rosters/batches/{batch_id}/template.xlsx",
    "batch_roster_xlsx": "GET /api/rosters/batches/{batch_id}/roster.xlsx",
    "batch_cards": "GET /api/rosters/batches/{batch_id}/cards",
    "batch_cards_xlsx": Exempt("xlsx download of GET /api/rosters/batches/{batch_id}/cards"),
    "batch_summary_xlsx": "GET /api/rosters/batches/{batch_id}/summary.xlsx",
    "batch_print": PRINT,
    # checks
    "checks_findings": "GET /api/checks/findings",
    "checks_finding_dispose": "POST /api/checks/findings/{finding_id}/dispose",
    "checks_finding_review": "POST /api/checks/findings/{finding_id}/confirm-clear",  # and .../reject-clear
    "checks_rules": "GET /api/checks/rules",
    "checks_rule_setting_set": "POST /api/checks/rules/{code}/settings",
    # supervision
    "supervision_findings": "GET /api/supervision/findings",
    "supervision_findings_export": Exempt("xlsx download of GET /api/supervision/findings"),
    "supervision_trends": "GET /api/supervision/trends",
    "supervision_trends_export": Exempt("xlsx download of GET /api/supervision/trends"),
    "supervision_clues": "GET /api/supervision/clues",
    "supervision_clues_export": Exempt("xlsx download of GET /api/supervision/clues"),
    "supervision_clue": "GET /api/supervision/clues/{clue_id}",
    "supervision_clue_start": "POST /api/supervision/clues/{clue_id}/start",
    "supervision_clue_note": "POST /api/supervision/clues/{clue_id}/note",
    "supervision_clue_conclude": "POST /api/supervision/clues/{clue_id}/conclude",
    # disclosure: complaints (投诉/举报/咨询)
    "public_complaint_new": Exempt("public filing page for citizens (no login, rate-limited); staff read the "
                                   "complaints with GET /api/disclosure/complaints"),
    "public_complaint_track": Exempt("public tracking page (number + secret code, rate-limited); staff read a "
                                     "complaint with GET /api/disclosure/complaints/{complaint_id}"),
    "disclosure_complaints": "GET /api/disclosure/complaints",
    "disclosure_complaint": "GET /api/disclosure/complaints/{complaint_id}",
    "disclosure_complaint_assign": "POST /api/disclosure/complaints/{complaint_id}/assign",
    "disclosure_complaint_reply": "POST /api/disclosure/complaints/{complaint_id}/reply",
    "disclosure_complaint_attachment": "GET /api/disclosure/complaints/{complaint_id}/attachment",
    "disclosure_complaint_open_finding": "POST /api/disclosure/complaints/{complaint_id}/finding",
    "disclosure_complaint_transfer_clue": "POST /api/disclosure/complaints/{complaint_id}/clue",
    "public_list_objection": Exempt("public page for an objection to a running notice (no login, rate-limited); "
                                    "staff read it with GET /api/disclosure/complaints/{complaint_id}"),
    "supervision_casefile": "GET /api/supervision/clues/{clue_id}/casefile",
    "supervision_evidence": "GET /api/supervision/evidence/{evidence_id}",
    # supervision: inspections (抽查, issue 16)
    "supervision_inspections": "GET /api/supervision/inspections",
    "supervision_inspection_create": "POST /api/supervision/inspections",
    "supervision_inspection": "GET /api/supervision/inspections/{plan_id}",  # ?redraw=1: .../{plan_id}/redraw
    "supervision_inspection_draw": "POST /api/supervision/inspections/{plan_id}/draw",
    "supervision_inspection_start": "POST /api/supervision/inspections/{plan_id}/start",
    "supervision_inspection_close": "POST /api/supervision/inspections/{plan_id}/close",
    "supervision_inspection_result": "POST /api/supervision/inspections/samples/{sample_id}/result",
    "supervision_inspection_evidence": "GET /api/supervision/inspections/evidence/{evidence_id}",
    # accountability (追回/问责, issue 16 §4)
    "supervision_recoveries": "GET /api/supervision/recoveries",
    "supervision_recovery_open": "POST /api/supervision/recoveries",
    "supervision_recovery": "GET /api/supervision/recoveries/{recovery_id}",
    "supervision_recovery_repay": "POST /api/supervision/recoveries/{recovery_id}/repayments",
    "supervision_recovery_write_off": "POST /api/supervision/recoveries/{recovery_id}/write-off",
    "supervision_recovery_transfer": "POST /api/supervision/recoveries/{recovery_id}/transfer",
    "supervision_recovery_sanction": "POST /api/supervision/recoveries/{recovery_id}/sanctions",
    "supervision_clue_sanction": "POST /api/supervision/clues/{clue_id}/sanctions",
    "supervision_repayment_evidence": "GET /api/supervision/repayments/{repayment_id}/evidence",
    # monitoring reports (issue 16 §1)
    "reports_list": "GET /api/reports/",
    "reports_dashboard": "GET /api/reports/dashboard",
    "reports_build": "POST /api/reports/",
    "reports_detail": "GET /api/reports/{report_id}",
    "reports_remarks": "POST /api/reports/{report_id}/remarks",
    "reports_transition": "POST /api/reports/{report_id}/transitions/{action}",
    "reports_xlsx": "GET /api/reports/{report_id}/xlsx",
    "reports_print": PRINT,
    # disclosure, published lists (issue 15, publish)
    "disclosure_lists": "GET /api/disclosure/lists",
    "disclosure_list_publish": "POST /api/disclosure/lists/batches/{batch_id}/publish",
    "disclosure_list_withdraw": "POST /api/disclosure/lists/{list_id}/withdraw",
    "public_list_region": Exempt("public notice page for citizens (no login); staff read the same lists with "
                                "GET /api/disclosure/lists"),
    "public_list_detail": Exempt("public page of one published list for citizens (no login), its canonical JSON "
                                "is on the page (?json=1) for verifying the digest"),
    # the simulated bank (demo and test settings only)
    "banksim_files": Exempt("demo bank simulator page, not part of production"),
}

# payments (yikatong/payments/urls.py): the payments API
PAYMENTS = {
    "payments_orders": "GET /api/payments/orders",
    "payments_order_create": "POST /api/payments/orders",
    "payments_collect": "POST /api/payments/collect",
    "payments_reconciliation": "GET /api/payments/reconciliation",
    "payments_sms": "GET /api/payments/sms",
    "payments_failures": "GET /api/payments/batches/{batch_id}/failures",
    "payments_reissue": "POST /api/payments/batches/{batch_id}/reissue",
    "payee_fix": "POST /api/payments/batches/{batch_id}/payee-fix",
    "payments_order": "GET /api/payments/orders/{order_id}",
    "payments_order_release": "POST /api/payments/orders/{order_id}/release",
    "payments_order_send": "POST /api/payments/orders/{order_id}/send",
    "payments_order_resend": "POST /api/payments/orders/{order_id}/resend",
    "payments_order_file": "GET /api/payments/orders/{order_id}/file",
    "payments_order_confirm_rejection": "POST /api/payments/orders/{order_id}/confirm-rejection",
    "payments_write_off": "POST /api/payments/items/{item_id}/write-off",
    "payments_notice": "GET /api/payments/batches/{batch_id}/notice",
    "payments_clearing": "GET /api/payments/clearing",
    "payments_clear": "POST /api/payments/clearing/{quota_id}/clear",
    "payments_bank_orders": "GET /api/payments/bank/orders",
    "payments_bank_upload": "POST /api/payments/bank-results",
    "payments_agreement_document": "GET /api/payments/agreements/{agreement_id}/document",
    "payments_banks": "GET /api/payments/banks",
    "payments_bank_create": "POST /api/payments/banks",
    "payments_agreement_create": "POST /api/payments/agreements",
    "payments_fund_return": "POST /api/payments/orders/{order_id}/fund-return",
    "payments_fund_return_receipt": "GET /api/payments/orders/{order_id}/fund-return/receipt",
    "payments_surveys": "GET /api/payments/bank-surveys",
    "payments_survey_create": "POST /api/payments/bank-surveys",
    "payments_survey_report": "GET /api/payments/bank-surveys/{survey_id}/report",
    "payments_upward": "GET /api/payments/upward",
    "payments_upward_create": "POST /api/payments/upward",
    "payments_upward_file": "GET /api/payments/upward/{export_id}/{fmt}",
}
# the bank's answer files are uploaded by the API too (no page of their own: collected from the drop box)
PAYMENTS_EXTRA = ["POST /api/payments/bank-results"]

# users and organisations admin (yikatong/accounts/urls.py)
ACCOUNTS = {
    "users": "GET /api/accounts/users",
    "user_admin_action": "POST /api/accounts/users/{user_id}",
    "users_import": "POST /api/accounts/users/import",
    "users_import_template": Exempt("blank spreadsheet to fill in for the bulk import; the columns are in the "
                                    "description of POST /api/accounts/users/import"),
    "organizations": "GET /api/accounts/organizations",
    "schedules": "GET /api/jobs/schedules",
}
ACCOUNTS_EXTRA = ["POST /api/accounts/users"]

SKIPPED_NAMESPACES = {"api"}
SKIPPED_NAMES = {"healthz"}  # the health probe (GET /api/health is its API twin)


def ui_url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver, namespace=None):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns not in SKIPPED_NAMESPACES:
                    walk(p, ns)
            elif isinstance(p, URLPattern) and p.name and not str(p.pattern).startswith("static"):
                names.add(p.name)

    walk(get_resolver())
    return names - SKIPPED_NAMES


def schema_operations() -> set[str]:
    from yikatong.api import api

    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}


TABLE = {**UI, **PAYMENTS, **ACCOUNTS}


def test_every_page_has_an_api_operation_or_a_reason():
    missing = sorted(ui_url_names() - set(TABLE))
    assert not missing, f"URL names of pages with neither an API operation nor a reason in this table: {missing}"


OPTIONAL = {"banksim_files"}  # mounted only where the demo bank simulator is installed (demo and test settings)


def test_the_table_names_only_existing_pages():
    stale = sorted(set(TABLE) - ui_url_names() - OPTIONAL)
    assert not stale, f"the table names URLs that no longer exist: {stale}"


def test_exemptions_give_a_reason():
    assert all(len(v) > 20 for v in TABLE.values() if isinstance(v, Exempt))


def _absent(mapping: dict[str, str], extra=()) -> list[str]:
    ops = schema_operations()
    wanted = [v for v in mapping.values() if not isinstance(v, Exempt)] + list(extra)
    return sorted(set(wanted) - ops)


def test_mapped_operations_exist():
    absent = _absent(UI)
    assert not absent, f"operations in the table but not in the API schema: {absent}"


def test_payments_operations_exist():
    absent = _absent(PAYMENTS, PAYMENTS_EXTRA)
    assert not absent, f"payments operations not in the API schema: {absent}"


def test_accounts_admin_operations_exist():
    absent = _absent(ACCOUNTS, ACCOUNTS_EXTRA)
    assert not absent, f"users/organisations admin operations not in the API schema: {absent}"
