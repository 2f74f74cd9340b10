"""Every write on catalogues, policies and change requests (one transaction, one audit event)."""
from .catalogue import create_catalogue, transition_catalogue
from .changes import decide_change_step, file_change_request
from .payable import assert_payable
from .policy import add_policy, attach_basis_file, remove_policy, update_policy

__all__ = [
    "add_policy", "assert_payable", "attach_basis_file", "create_catalogue", "decide_change_step",
    "file_change_request", "remove_policy", "transition_catalogue", "update_policy",
]
