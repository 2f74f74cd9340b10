"""An approved application becomes a roster item of the next batch of its policy, township and year:
`pull_approved` adds every approved, not yet rostered application as an item through the rosters
service a township operator uses to enter an item by hand (same validation, comparison and audit),
and links the application to its item. Idempotent: a rostered application is never added again."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.money import Money
from yikatong.core.refusals import Refusal, code_of, invalid
from yikatong.policies.choices import Intake
from yikatong.policies.standard import period_year
from yikatong.rosters import scope as roster_scope
from yikatong.rosters import selectors as roster_selectors
from yikatong.rosters.importer.run import EDITABLE_STATES
from yikatong.rosters.services import item_add

from . import errors  # noqa: F401  (registers the messages)
from .models import Application, State


@dataclass
class PullResult:
    added: list[int] = field(default_factory=list)  # application ids now on the batch
    skipped: list[dict] = field(default_factory=list)  # {"application", "code", "message"}


def pending_for(batch):
    """Approved applications of the batch's policy (by code), year and region not yet on any roster."""
    return Application.objects.filter(
        state=State.APPROVED, batch_item__isnull=True, policy_code=batch.policy.code,
        year=period_year(batch.period), village__code__startswith=batch.region.prefix,
    ).order_by("pk")


def _row(app: Application) -> dict[str, str]:
    v = vault()
    return {"姓名": app.name, "身份证号码": v.decrypt(app.id_enc), "村(社区)": app.village_id,
            "联系电话": v.decrypt(app.phone_enc) if app.phone_enc else "", "开户银行": app.bank_name,
            "银行账号": v.decrypt(app.account_enc), "账户户名": app.name, "补贴数量": "1",
            "发放金额(元)": Money(app.amount_fen).yuan_str(), "备注": f"申请{app.pk}"}


@transaction.atomic
def pull_approved(batch, actor) -> PullResult:
    """Add the approved applications waiting for `batch` (a draft of an application-based policy) as its
    items. One that the roster refuses (e.g. already on it) is reported and left waiting."""
    batch = get_object_or_404(roster_selectors.batches_for(actor), pk=batch.pk)
    roster_scope.require_change(actor, batch, {Role.TOWNSHIP_OPERATOR}, "纳入已审批的申请")
    if batch.policy.intake != Intake.APPLICATION:
        raise invalid("APPLICATION_PULL_NOT_APPLICATION_POLICY", batch=batch.code)
    if batch.state not in EDITABLE_STATES or batch.kind == "reissue":
        raise invalid("APPLICATION_PULL_BATCH_CLOSED", batch=batch.code)
    result = PullResult()
    for app in pending_for(batch).select_for_update():
        try:
            with transaction.atomic():
                item = item_add(actor=actor, batch_id=batch.pk, values=_row(app))
                Application.objects.filter(pk=app.pk, batch_item__isnull=True).update(
                    batch_item=item, rostered_at=timezone.now())
        except (Refusal, ValidationError) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            result.skipped.append({"application": app.pk, "code": code_of(exc), "message": message})
        else:
            result.added.append(app.pk)
    record(actor=actor, action="applications.pull", obj=batch,
           after={"added": result.added, "skipped": [s["application"] for s in result.skipped]})
    return result
