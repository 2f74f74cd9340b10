"""Every write of the register: keyword-only arguments, an explicit actor, one transaction and
one audit event per action. Implementations live in the modules of this package."""
from .account_changes import account_change_decide, account_change_request, account_changes_apply_due
from .cards import card_followup_record, card_status_from_bank
from .people import life_event_record, person_field_reveal
from .reference import ReferenceFileError, reference_load
from .register_import import register_file_import, register_import_run, register_import_start

__all__ = [
    "account_change_decide", "account_change_request", "account_changes_apply_due", "card_followup_record",
    "card_status_from_bank",
    "ReferenceFileError", "register_file_import", "reference_load", "life_event_record", "person_field_reveal",
    "register_import_run", "register_import_start",
]
