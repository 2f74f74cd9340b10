"""What checks gives the rosters layer through rosters.hooks (filled at ChecksConfig.ready): the items
its findings hold out of payment, the findings a roster page shows, the check a user starts, the background
check queued after a step, and the findings stored again after a BLOCKING_FINDINGS_OPEN refusal."""
from yikatong.rosters import hooks

# Steps after which the batch's items are cross-checked (大数据比对) in the background, so the finance
# office sees findings while it compares. Submit and resubmit check inline (guard checks_run) and every
# money-moving step re-checks inline (guard checks_current): nothing relies on this job having run.
CHECK_ON = frozenset({"send_compare"})


def held_items(batch):
    from .selectors import held_items

    return held_items(batch)


def findings_for(actor, *, batch_id: int):
    from .selectors import findings_for

    return findings_for(actor, batch_id=batch_id)


def queue_check(*, actor, batch, action: str) -> None:
    if action in CHECK_ON:
        from .tasks import enqueue_batch_check  # incremental cross-checks, queued on commit

        enqueue_batch_check(actor=actor, batch_id=batch.pk)


def store_findings(batch_id: int) -> None:
    from .guards import store_findings_after_refusal

    store_findings_after_refusal(batch_id)


def check_start(*, actor, batch_id: int):
    from .tasks import batch_check_start

    return batch_check_start(actor=actor, batch_id=batch_id)


def install() -> None:
    hooks.provide_held_items(held_items)
    hooks.provide_findings_for(findings_for)
    hooks.provide_check_start(check_start)
    hooks.on_transition(queue_check)
    hooks.on_refusal("BLOCKING_FINDINGS_OPEN")(store_findings)
