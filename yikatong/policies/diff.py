"""Side-by-side comparison of two catalogue versions (or of a policy and a proposed change)."""
from dataclasses import dataclass

from .spec import PolicySpec, describe


@dataclass(frozen=True)
class FieldRow:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class PolicyDiff:
    code: str
    name: str
    status: str  # added / removed / changed / same
    rows: tuple[FieldRow, ...]

    @property
    def status_label(self) -> str:
        return {"added": "新增", "removed": "取消", "changed": "调整", "same": "未变"}[self.status]

    @property
    def changed_rows(self) -> tuple[FieldRow, ...]:
        return tuple(r for r in self.rows if r.changed)


def compare_specs(old: PolicySpec | None, new: PolicySpec | None, names: dict[int, str] | None = None) -> PolicyDiff:
    names = names or {}
    old_rows = dict(describe(old, department_name=names.get(old.department_id))) if old else {}
    new_rows = dict(describe(new, department_name=names.get(new.department_id))) if new else {}
    labels = list(dict.fromkeys([*old_rows, *new_rows]))
    rows = tuple(FieldRow(label, old_rows.get(label, ""), new_rows.get(label, "")) for label in labels)
    if old is None:
        status = "added"
    elif new is None:
        status = "removed"
    else:
        status = "changed" if any(r.changed for r in rows) else "same"
    ref = new or old
    return PolicyDiff(ref.code, ref.name, status, rows)


def _specs(policies) -> dict[str, PolicySpec]:
    return {p.code: PolicySpec.from_policy(p) for p in policies}


def compare_catalogues(old_policies, new_policies) -> list[PolicyDiff]:
    """Every code of either version, changed ones first."""
    old_policies, new_policies = list(old_policies), list(new_policies)
    old, new = _specs(old_policies), _specs(new_policies)
    names = {p.department_id: p.department.name for p in [*old_policies, *new_policies]}
    diffs = [compare_specs(old.get(code), new.get(code), names) for code in sorted(old.keys() | new.keys())]
    order = {"added": 0, "changed": 1, "removed": 2, "same": 3}
    return sorted(diffs, key=lambda d: (order[d.status], d.code))
