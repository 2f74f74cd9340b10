"""The quota API's writes through HTTP with bearer tokens (issue 17): register a quota, allocate,
issue, cancel — each through the service the quota pages call (403 with its code for who does not
manage the quota, 404 outside the caller's scope, 409 for an allocation no longer planned, audit)."""
import pytest

from tests.support.api import Tokens, call
from yikatong.audit.models import AuditEvent
from yikatong.funds.models import FundQuota

from .factories import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(world):
    return Tokens(world)


def test_quota_receive(client, world, policy, tokens):
    body = {"doc_number": "晋财社〔2026〕9号", "issuing_level": "province", "received_on": "2026-03-02",
            "policy": policy.pk, "central_fen": 60000, "province_fen": 40000}
    wrong = call(client, "post", "/api/funds/quotas", tokens("mz_rev"), body)
    assert wrong.status_code == 403 and wrong.json()["code"] == "QUOTA_RECEIVE_NOT_MANAGER"
    unknown = call(client, "post", "/api/funds/quotas", tokens("fin"), {**body, "policy": 999999})
    assert unknown.status_code == 400 and unknown.json()["code"] == "QUOTA_POLICY_UNKNOWN"
    made = call(client, "post", "/api/funds/quotas", tokens("fin"), body)
    assert made.status_code == 201, made.content
    assert made.json()["received_fen"] == 100000 and made.json()["balance_fen"] == 100000
    assert AuditEvent.objects.filter(action="funds.quota_receive").exists()
    dup = call(client, "post", "/api/funds/quotas", tokens("fin"), body)
    assert dup.status_code == 400 and dup.json()["code"] == "QUOTA_DOC_DUPLICATE"
    zero = call(client, "post", "/api/funds/quotas", tokens("fin"), {**body, "doc_number": "x", "central_fen": 0,
                                                                      "province_fen": 0})
    assert zero.status_code == 400 and zero.json()["code"] == "QUOTA_AMOUNT_NOT_POSITIVE"


def test_allocate_issue_cancel(client, world, policy, tokens, regions):
    quota = receive(world, policy)
    url = f"/api/funds/quotas/{quota.pk}/allocations"
    assert call(client, "post", url, tokens("other_fin"), {"amount_fen": 100, "target_region": "141024100"}
                ).status_code == 404
    wrong = call(client, "post", url, tokens("mz_rev"), {"amount_fen": 100, "target_region": "141024100"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "ALLOCATE_NOT_MANAGER"
    both = call(client, "post", url, tokens("fin"), {"amount_fen": 100})
    assert both.status_code == 400 and both.json()["code"] == "ALLOCATION_TARGET_ONE_OF"
    made = call(client, "post", url, tokens("fin"), {"amount_fen": 30000, "target_region": "141024100"})
    assert made.status_code == 201, made.content
    aid = made.json()["id"]
    assert made.json()["state"] == "planned" and AuditEvent.objects.filter(action="funds.allocate").exists()
    assert FundQuota.objects.get(pk=quota.pk).allocated_fen == 30000

    issue = f"/api/funds/allocations/{aid}/issue"
    assert call(client, "post", issue, tokens("other_fin"), {"doc_number": "洪财社〔2026〕3号"}).status_code == 404
    wrong = call(client, "post", issue, tokens("mz_rev"), {"doc_number": "洪财社〔2026〕3号"})
    assert wrong.status_code in (403, 404)
    no_doc = call(client, "post", issue, tokens("fin"), {"doc_number": ""})
    assert no_doc.status_code == 400 and no_doc.json()["code"] == "ALLOCATION_DOC_NUMBER_REQUIRED"
    child = call(client, "post", issue, tokens("fin"), {"doc_number": "洪财社〔2026〕3号", "issued_on": "2026-03-05"})
    assert child.status_code == 200, child.content
    assert child.json()["region_code"] == "141024100000" and child.json()["received_fen"] == 30000
    assert AuditEvent.objects.filter(action="funds.allocation_issue").exists()
    again = call(client, "post", issue, tokens("fin"), {"doc_number": "洪财社〔2026〕4号"})
    assert again.status_code == 409 and again.json()["code"] == "ALLOCATION_NOT_PLANNED"
    late = call(client, "post", f"/api/funds/allocations/{aid}/cancel", tokens("fin"), {"reason": "调整"})
    assert late.status_code == 409 and late.json()["code"] == "ALLOCATION_CANCEL_NOT_PLANNED"

    other = call(client, "post", url, tokens("fin"), {"amount_fen": 10000, "target_region": "141024100"}).json()["id"]
    cancel = f"/api/funds/allocations/{other}/cancel"
    no_reason = call(client, "post", cancel, tokens("fin"), {"reason": ""})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "ALLOCATION_CANCEL_REASON_REQUIRED"
    done = call(client, "post", cancel, tokens("fin"), {"reason": "乡镇合并"})
    assert done.status_code == 200 and done.json()["state"] == "cancelled"
    assert AuditEvent.objects.filter(action="funds.allocation_cancel").exists()
    assert FundQuota.objects.get(pk=quota.pk).allocated_fen == 30000
