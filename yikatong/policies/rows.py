"""Writing policy rows (with tiers and basis documents): from a spec, or copied into a new
catalogue version. Called only by services, inside their transaction."""
from .models import Policy, PolicyBasis, PolicyCatalogue, PolicyTier
from .spec import PolicySpec


def _write_children(policy: Policy, spec: PolicySpec, files: dict[str, str]) -> None:
    PolicyTier.objects.bulk_create(
        PolicyTier(policy=policy, key=t.key, label=t.label, rate_fen=t.rate_fen, age_min=t.age_min, age_max=t.age_max, order=i)
        for i, t in enumerate(spec.tiers)
    )
    PolicyBasis.objects.bulk_create(
        PolicyBasis(policy=policy, number=b.number, title=b.title, issued_on=b.issued_on, file=files.get(b.number, ""), order=i)
        for i, b in enumerate(spec.basis)
    )


def create_from_spec(catalogue: PolicyCatalogue, spec: PolicySpec, *, previous: Policy | None = None) -> Policy:
    """A new row; basis files of `previous` are kept for documents with the same number."""
    policy = Policy.objects.create(catalogue=catalogue, previous=previous, **spec.model_fields())
    files = {b.number: b.file.name for b in previous.basis_documents.all() if b.file} if previous else {}
    _write_children(policy, spec, files)
    return policy


def replace_content(policy: Policy, spec: PolicySpec) -> None:
    """Overwrite a draft row with `spec` (tiers and basis documents rewritten, files kept by number)."""
    files = {b.number: b.file.name for b in policy.basis_documents.all() if b.file}
    for name, value in spec.model_fields().items():
        setattr(policy, name, value)
    policy.save()
    policy.tiers.all().delete()
    policy.basis_documents.all().delete()
    _write_children(policy, spec, files)


def copy_policy(policy: Policy, catalogue: PolicyCatalogue) -> Policy:
    return create_from_spec(catalogue, PolicySpec.from_policy(policy), previous=policy)


def copy_all(source: PolicyCatalogue, target: PolicyCatalogue, *, skip_codes: frozenset[str] = frozenset()) -> int:
    n = 0
    for policy in source.policies.prefetch_related("tiers", "basis_documents"):
        if policy.code not in skip_codes:
            copy_policy(policy, target)
            n += 1
    return n
