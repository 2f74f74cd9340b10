"""Every write on quotas (one transaction, one audit event). Payment code calls commit/paid/release."""
from .allocations import allocation_create, allocation_cancel, allocation_issue
from .batch import batch_ref, commit_for_batch, record_paid_for_ref, record_returned_for_ref, release_for_ref
from .ledger import commit_funds, record_paid, release_commitment
from .quotas import quota_receive
from .recovery import record_recovered_for_ref, recovered_on

__all__ = [
    "allocation_create", "batch_ref", "allocation_cancel", "commit_for_batch", "commit_funds", "allocation_issue",
    "quota_receive", "record_paid", "record_paid_for_ref", "record_recovered_for_ref", "record_returned_for_ref", "recovered_on", "release_commitment", "release_for_ref",
]
