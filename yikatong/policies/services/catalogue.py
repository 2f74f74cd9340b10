"""Creating a yearly catalogue and moving it along the transition table."""
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core.refusals import Forbidden, invalid
from yikatong.regions.models import Region

from .. import errors  # noqa: F401  (registers the refusal messages)
from .. import transitions
from ..models.catalogue import OPEN_STATES, PolicyCatalogue
from ..models.catalogue import CatalogueState as S
from ..permissions import is_finance_of
from ..rows import copy_all


@transaction.atomic
def catalogue_create(*, actor, region: Region, year: int, copy_from_last_year: bool = True) -> PolicyCatalogue:
    """A draft catalogue of `region` for `year`, by its finance reviewer; optionally starting from
    last year's published list (the usual case: 动态调整)."""
    if not is_finance_of(actor, region.code):
        raise Forbidden("CATALOGUE_CREATE_NOT_FINANCE")
    if region.level > 3:
        raise invalid("CATALOGUE_LEVEL_INVALID")
    if not 2000 <= year <= 2100:
        raise invalid("CATALOGUE_YEAR_INVALID", year=year)
    existing = PolicyCatalogue.objects.filter(region=region, year=year)
    if existing.filter(state__in=OPEN_STATES + (S.PUBLISHED,)).exists():
        raise invalid("CATALOGUE_EXISTS", region=region.name, year=year)
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
def catalogue_transition(*, actor, catalogue: PolicyCatalogue, action: str, reason: str = "") -> PolicyCatalogue:
    """Submit (报送备案), file (备案), return (退回) or publish (公布) a catalogue."""
    tr = transitions.find(catalogue.state, action)
    if tr is None:
        raise invalid("CATALOGUE_TRANSITION_NOT_ALLOWED", state=catalogue.get_state_display())
    if not tr.allowed(actor, catalogue):
        raise Forbidden("CATALOGUE_TRANSITION_WRONG_ROLE", action=tr.label, who=tr.who)
    if tr.needs_reason and not reason.strip():
        raise invalid("CATALOGUE_REASON_REQUIRED", action=tr.label)
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
        raise invalid("CATALOGUE_STATE_CHANGED")
    before = catalogue.state
    catalogue.refresh_from_db()
    record(actor=actor, action=f"policies.catalogue_{action}", obj=catalogue,
           before={"state": before}, after={"state": catalogue.state, "reason": reason.strip()})
    return catalogue


def _check_codes_free(catalogue: PolicyCatalogue) -> None:
    from ..selectors import code_taken_in_chain

    taken = [p.code for p in catalogue.policies.all() if code_taken_in_chain(p.code, catalogue.region_id, catalogue.year)]
    if taken:
        raise invalid("CATALOGUE_CODES_TAKEN_ABOVE", codes="、".join(taken))


def lock_draft(catalogue: PolicyCatalogue) -> PolicyCatalogue:
    """Lock the catalogue row for an edit of its policies; refuse unless it is a draft."""
    locked = PolicyCatalogue.objects.select_for_update().select_related("region").get(pk=catalogue.pk)
    if locked.state != S.DRAFT:
        raise invalid("CATALOGUE_NOT_DRAFT", state=locked.get_state_display())
    return locked
