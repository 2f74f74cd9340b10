"""Every write on catalogues, policies and change requests (one transaction, one audit event)."""
from .catalogue import catalogue_create, catalogue_transition
from .changes import change_request_decide, change_request_file
from .payable import assert_payable
from .policy import policy_add, basis_file_attach, policy_remove, policy_update

__all__ = [
    "policy_add", "assert_payable", "basis_file_attach", "catalogue_create", "change_request_decide",
    "change_request_file", "policy_remove", "catalogue_transition", "policy_update",
]
