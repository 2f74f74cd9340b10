"""What the simulator page shows: files of the banks the user may see."""
from django.db.models import QuerySet

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import in_scope
from yikatong.payments.models import AgentBank

from .models import SimReceivedFile


def can_view(actor) -> bool:
    return actor.is_authenticated and actor.has_role(Role.SYSADMIN, Role.BANK)


def received_files_for(actor) -> QuerySet[SimReceivedFile]:
    """System admins: banks whose organization lies in their region subtree; bank staff: their own bank."""
    if not can_view(actor):
        return SimReceivedFile.objects.none()
    if actor.has_role(Role.SYSADMIN):
        banks = in_scope(AgentBank.objects.all(), actor, "organization__region")
    else:
        banks = AgentBank.objects.filter(organization_id=actor.organization_id) if actor.organization_id \
            else AgentBank.objects.none()
    return SimReceivedFile.objects.filter(bank_code__in=banks.values("code"))
