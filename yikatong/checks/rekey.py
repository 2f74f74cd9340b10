"""Findings whose fingerprint hashes a blind index, re-keyed during a data key rotation.

A rule's `key` may name a blind index column (SHARED_ACCOUNT: other_id_bidx): the fingerprint
then depends on the data key, and after a rotation the next run would close the finding and open
a new one, losing its disposition. Before the indexes are rotated (registry.rotation, pass 1),
re-run each such rule over the batches of its findings, as a run would (same setting groups),
and give the finding of every row the fingerprint of the same row under the new indexes. A
finding its rule no longer produces keeps its fingerprint (it is closed, or stays as decided).
"""
from . import engine, rulesettings, sqlviews
from .models import Finding, Rule


def rekey_fingerprints(map_indexes) -> int:
    from yikatong.rosters.models import Batch

    changed = 0
    for rule in Rule.objects.order_by("code"):
        keyed = [k for k in rule.key_columns if k.endswith("_bidx")]
        batch_ids = set(Finding.objects.filter(rule=rule, batch__isnull=False).values_list("batch_id", flat=True))
        if not keyed or not batch_ids:
            continue
        batches = list(Batch.objects.select_related("policy").filter(pk__in=batch_ids).order_by("pk"))
        groups, _ = rulesettings.groups_for(rule, batches)
        for params, group in groups:
            rows = engine.rule_rows(rule, sqlviews.scope_rows(group), params)
            mapping = map_indexes({row[k] for row in rows for k in keyed if row.get(k)})
            for row in rows:
                old = engine.to_hit(rule, row).fingerprint
                new = engine.to_hit(rule, {**row, **{k: mapping.get(row[k], row[k]) for k in keyed}}).fingerprint
                if new != old:
                    changed += Finding.objects.filter(rule=rule, fingerprint=old).update(fingerprint=new)
    return changed
