"""Allocating a quota downward (分配), passing it down (下达) and cancelling a planned allocation."""
import datetime

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.models import OrgKind
from yikatong.audit.services import record
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import Forbidden, invalid

from .. import errors  # noqa: F401  (registers the refusal messages)
from ..deadlines import allocation_deadline
from ..models import SOURCE_FIELDS, AllocationState, FundAllocation, FundQuota, IssuingLevel, MovementKind
from ..permissions import manages
from .ledger import check_amount, draw, give_back

_LEVEL_ISSUER = {1: IssuingLevel.PROVINCE, 2: IssuingLevel.PREFECTURE, 3: IssuingLevel.COUNTY}


@transaction.atomic
def allocation_create(
    *, actor, quota: FundQuota, amount_fen: int, target_region=None, target_org=None, deadline: datetime.date | None = None,
) -> FundAllocation:
    """Earmark part of the quota for a lower region or a department of this level. The deadline
    comes from the local profile; `deadline` is only used where the profile sets none."""
    if not manages(actor, quota.region_id):
        raise Forbidden("ALLOCATE_NOT_MANAGER")
    check_amount(amount_fen)
    if (target_region is None) == (target_org is None):
        raise invalid("ALLOCATION_TARGET_ONE_OF")
    if target_region is not None and (
        target_region.code == quota.region_id or not target_region.code.startswith(quota.region.prefix)
    ):
        raise invalid("ALLOCATION_REGION_NOT_BELOW", target=target_region.name, region=quota.region.name)
    if target_org is not None and (target_org.kind != OrgKind.LINE_DEPARTMENT or target_org.region_id != quota.region_id):
        raise invalid("ALLOCATION_ORG_NOT_LINE_DEPARTMENT")
    profile_deadline = allocation_deadline(quota, current_profile())
    allocation = FundAllocation.objects.create(
        quota=quota, target_region=target_region, target_org=target_org, amount_fen=amount_fen,
        deadline=profile_deadline or deadline, created_by=actor,
    )
    draw(quota, "allocated_fen", amount_fen, ref=f"allocation:{allocation.pk}", actor=actor, kind=MovementKind.ALLOCATE)
    record(actor=actor, action="funds.allocate", obj=allocation,
           after={"quota": quota.pk, "target": allocation.target_name, "amount_fen": amount_fen,
                  "deadline": allocation.deadline.isoformat() if allocation.deadline else None})
    return allocation


def _split(quota: FundQuota, amount_fen: int) -> dict[str, int]:
    """Split an amount over the quota's fund sources in proportion (largest remainder, exact)."""
    shares = {name: getattr(quota, name) for name, _ in SOURCE_FIELDS}
    parts = {name: amount_fen * v // quota.received_fen for name, v in shares.items()}
    rest = amount_fen - sum(parts.values())
    order = sorted(shares, key=lambda n: (-(amount_fen * shares[n] % quota.received_fen), -shares[n]))
    for name in order[:rest]:
        parts[name] += 1
    return parts


@transaction.atomic
def allocation_issue(*, actor, allocation: FundAllocation, doc_number: str, issued_on: datetime.date | None = None) -> FundQuota:
    """Pass the allocation down: it becomes a quota of the lower region (or of the department)."""
    allocation = FundAllocation.objects.select_for_update().select_related("quota", "quota__region", "quota__policy").get(
        pk=allocation.pk
    )
    quota = allocation.quota
    if not manages(actor, quota.region_id):
        raise Forbidden("ALLOCATION_ISSUE_NOT_MANAGER")
    if not doc_number.strip():
        raise invalid("ALLOCATION_DOC_NUMBER_REQUIRED")
    issued_on = issued_on or timezone.localdate()
    if not FundAllocation.objects.filter(pk=allocation.pk, state=AllocationState.PLANNED).update(
        state=AllocationState.ISSUED, doc_number=doc_number.strip(), issued_on=issued_on, issued_by=actor
    ):
        raise invalid("ALLOCATION_NOT_PLANNED")
    region = allocation.target_region or quota.region
    child = FundQuota.objects.create(
        region=region, holder=allocation.target_org, doc_number=doc_number.strip(), title=quota.title,
        issuing_level=_LEVEL_ISSUER.get(quota.region.level, IssuingLevel.COUNTY),
        issuer_name=actor.organization.name, received_on=issued_on, policy=quota.policy, policy_code=quota.policy_code,
        year=quota.year, direct_to_county=quota.direct_to_county and region.level < 3,
        received_fen=allocation.amount_fen, source_allocation=allocation, created_by=actor,
        **_split(quota, allocation.amount_fen),
    )
    late = allocation.deadline is not None and issued_on > allocation.deadline
    record(actor=actor, action="funds.allocation_issue", obj=allocation,
           after={"doc_number": child.doc_number, "child_quota": child.pk, "issued_on": issued_on.isoformat(), "late": late})
    return child


@transaction.atomic
def allocation_cancel(*, actor, allocation: FundAllocation, reason: str) -> FundAllocation:
    """Cancel a planned (not yet issued) allocation; its amount returns to the quota balance."""
    allocation = FundAllocation.objects.select_for_update().select_related("quota").get(pk=allocation.pk)
    if not manages(actor, allocation.quota.region_id):
        raise Forbidden("ALLOCATION_CANCEL_NOT_MANAGER")
    if not reason.strip():
        raise invalid("ALLOCATION_CANCEL_REASON_REQUIRED")
    if not FundAllocation.objects.filter(pk=allocation.pk, state=AllocationState.PLANNED).update(
        state=AllocationState.CANCELLED, cancel_reason=reason.strip()
    ):
        raise invalid("ALLOCATION_CANCEL_NOT_PLANNED")
    give_back(allocation.quota, "allocated_fen", allocation.amount_fen, ref=f"allocation:{allocation.pk}", actor=actor,
              kind=MovementKind.DEALLOCATE)
    record(actor=actor, action="funds.allocation_cancel", obj=allocation,
           after={"amount_fen": allocation.amount_fen, "reason": reason.strip()})
    allocation.refresh_from_db()
    return allocation
