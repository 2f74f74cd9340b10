"""Editing the policies of a draft catalogue. A published catalogue is frozen."""
from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.refusals import Forbidden, invalid
from yikatong.core.uploads import limit_for

from .. import errors  # noqa: F401  (registers the refusal messages)
from ..models import Policy, PolicyBasis, PolicyCatalogue, PolicyTier
from ..permissions import can_edit_draft
from ..rows import create_from_spec, replace_content
from ..selectors import code_taken_in_chain
from ..spec import PolicySpec, validate_spec
from .catalogue import lock_draft


def _check(actor, catalogue: PolicyCatalogue, spec: PolicySpec, *, exclude_pk=None) -> None:
    if not can_edit_draft(actor, catalogue, spec.department_id):
        raise Forbidden("POLICY_EDIT_NOT_ALLOWED")
    validate_spec(spec, region_code=catalogue.region_id)
    if catalogue.policies.filter(code=spec.code).exclude(pk=exclude_pk).exists():
        raise invalid("POLICY_CODE_IN_CATALOGUE", policy_code=spec.code)
    if code_taken_in_chain(spec.code, catalogue.region_id, catalogue.year):
        raise invalid("POLICY_CODE_TAKEN", policy_code=spec.code)


@transaction.atomic
def policy_add(*, actor, catalogue: PolicyCatalogue, spec: PolicySpec) -> Policy:
    catalogue = lock_draft(catalogue)
    spec = spec.normalised()
    _check(actor, catalogue, spec)
    policy = create_from_spec(catalogue, spec)
    record(actor=actor, action="policies.policy_add", obj=policy, after=spec.to_dict())
    return policy


@transaction.atomic
def policy_update(*, actor, policy: Policy, spec: PolicySpec) -> Policy:
    catalogue = lock_draft(policy.catalogue)
    policy = Policy.objects.get(pk=policy.pk)
    if not can_edit_draft(actor, catalogue, policy.department_id):
        raise Forbidden("POLICY_EDIT_NOT_ALLOWED")
    spec = spec.normalised()
    _check(actor, catalogue, spec, exclude_pk=policy.pk)
    before = PolicySpec.from_policy(policy).to_dict()
    replace_content(policy, spec)
    record(actor=actor, action="policies.policy_update", obj=policy, before=before, after=spec.to_dict())
    return policy


@transaction.atomic
def policy_remove(*, actor, policy: Policy) -> None:
    """Take a policy off a draft (never-published) catalogue; the audit event keeps its content."""
    catalogue = lock_draft(policy.catalogue)
    if not can_edit_draft(actor, catalogue, policy.department_id):
        raise Forbidden("POLICY_EDIT_NOT_ALLOWED")
    if _is_referenced(policy):
        raise invalid("POLICY_REFERENCED", name=policy.name)
    before = PolicySpec.from_policy(policy).to_dict()
    record(actor=actor, action="policies.policy_remove", obj=policy, before=before)
    policy.delete()  # tiers and basis documents go with it


def _is_referenced(policy: Policy) -> bool:
    """Does any row of another model (a quota, a batch, a later version) point at this policy?"""
    return any(
        rel.related_model._base_manager.filter(**{rel.field.name: policy}).exists()
        for rel in Policy._meta.related_objects
        if rel.related_model not in (PolicyBasis, PolicyTier)
    )


@transaction.atomic
def basis_file_attach(*, actor, basis: PolicyBasis, file) -> PolicyBasis:
    """Attach the scanned document to a basis entry of a draft policy (PDF, OFD or image)."""
    catalogue = lock_draft(basis.policy.catalogue)
    if not can_edit_draft(actor, catalogue, basis.policy.department_id):
        raise Forbidden("POLICY_BASIS_UPLOAD_NOT_ALLOWED")
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith((".pdf", ".jpg", ".jpeg", ".png", ".ofd")):
        raise invalid("POLICY_BASIS_FILE_TYPE")
    if file.size > limit_for("policy"):
        raise invalid("POLICY_BASIS_FILE_TOO_LARGE", mb=limit_for("policy") // (1024 * 1024))
    basis.file.save(file.name, file, save=True)
    record(actor=actor, action="policies.basis_file", obj=basis.policy,
           after={"basis": basis.number, "file": basis.file.name})
    return basis
