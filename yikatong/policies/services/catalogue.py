"""Creating a yearly catalogue and moving it along the transition table."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.regions.models import Region

from .. import transitions
from ..models.catalogue import OPEN_STATES, PolicyCatalogue
from ..models.catalogue import CatalogueState as S
from ..permissions import is_finance_of
from ..rows import copy_all


@transaction.atomic
def create_catalogue(*, actor, region: Region, year: int, copy_from_last_year: bool = True) -> PolicyCatalogue:
    """A draft catalogue of `region` for `year`, by its finance reviewer; optionally starting from
    last year's published list (the usual case: 动态调整)."""
    if not is_finance_of(actor, region.code):
        raise PermissionDenied("只有本级财政部门业务科室可以编制补贴政策清单")
    if region.level > 3:
        raise ValidationError("补贴政策清单由省、市(州)、县三级编制")
    if not 2000 <= year <= 2100:
        raise ValidationError(f"年度“{year}”无效")
    existing = PolicyCatalogue.objects.filter(region=region, year=year)
    if existing.filter(state__in=OPEN_STATES + (S.PUBLISHED,)).exists():
        raise ValidationError(f"{region.name}{year}年的补贴政策清单已经存在，请在原清单上编辑或提出调整变更申请")
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    catalogue = PolicyCatalogue.objects.create(region=region, year=year, version=version, created_by=actor)
    copied = 0
    if copy_from_last_year:
        last = PolicyCatalogue.objects.filter(region=region, year=year - 1, state=S.PUBLISHED).first()
        if last is not None:
            copied = copy_all(last, catalogue)
    record(actor=actor, action="policies.catalogue_create", obj=catalogue,
           after={"region": region.code, "year": year, "version": version, "copied_policies": copied})
    return catalogue


@transaction.atomic
def transition_catalogue(*, actor, catalogue: PolicyCatalogue, action: str, reason: str = "") -> PolicyCatalogue:
    """Submit (报送备案), file (备案), return (退回) or publish (公布) a catalogue."""
    tr = transitions.find(catalogue.state, action)
    if tr is None:
        raise ValidationError(f"清单当前状态为“{catalogue.get_state_display()}”，不能执行该操作")
    if not tr.allowed(actor, catalogue):
        raise PermissionDenied(f"“{tr.label}”须由{tr.who}办理")
    if tr.needs_reason and not reason.strip():
        raise ValidationError(f"“{tr.label}”须填写理由")
    now = timezone.now()
    fields = {"state": tr.target}
    if action == "submit":
        fields |= {"submitted_at": now, "return_reason": ""}
    elif action == "file":
        fields |= {"filed_at": now, "filed_by": actor}
    elif action == "return":
        fields |= {"return_reason": reason.strip()}
    elif action == "publish":
        _check_codes_free(catalogue)
        fields |= {"published_on": timezone.localdate(), "published_by": actor}
    # Conditional update: of two clerks pressing the button, only the first moves the state.
    if not PolicyCatalogue.objects.filter(pk=catalogue.pk, state=tr.source).update(**fields):
        raise ValidationError("清单状态已被他人更改，请刷新页面后再试")
    before = catalogue.state
    catalogue.refresh_from_db()
    record(actor=actor, action=f"policies.catalogue_{action}", obj=catalogue,
           before={"state": before}, after={"state": catalogue.state, "reason": reason.strip()})
    return catalogue


def _check_codes_free(catalogue: PolicyCatalogue) -> None:
    from ..selectors import code_taken_in_chain

    taken = [p.code for p in catalogue.policies.all() if code_taken_in_chain(p.code, catalogue.region_id, catalogue.year)]
    if taken:
        raise ValidationError(f"统一代码与上级已公布清单重复：{'、'.join(taken)}")


def lock_draft(catalogue: PolicyCatalogue) -> PolicyCatalogue:
    """Lock the catalogue row for an edit of its policies; refuse unless it is a draft."""
    locked = PolicyCatalogue.objects.select_for_update().select_related("region").get(pk=catalogue.pk)
    if locked.state != S.DRAFT:
        raise ValidationError(
            f"清单状态为“{locked.get_state_display()}”，已不能直接修改；已公布的清单只能通过调整变更申请修改"
        )
    return locked
