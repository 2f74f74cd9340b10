"""Every write on quotas (one transaction, one audit event). Payment code calls commit/paid/release."""
from .allocations import allocate, cancel_allocation, issue_allocation
from .batch import batch_ref, commit_for_batch, record_paid_for_ref, release_for_ref
from .ledger import commit_funds, record_paid, release_commitment
from .quotas import receive_quota

__all__ = [
    "allocate", "batch_ref", "cancel_allocation", "commit_for_batch", "commit_funds", "issue_allocation",
    "receive_quota", "record_paid", "record_paid_for_ref", "release_commitment", "release_for_ref",
]
