"""Every write of the register: keyword-only arguments, an explicit actor, one transaction and
one audit event per action. Implementations live in the modules of this package."""
from .people import record_life_event, reveal
from .reference import ReferenceFileError, load_reference
from .register_import import import_register_file, run_register_import, start_register_import

__all__ = [
    "ReferenceFileError", "import_register_file", "load_reference", "record_life_event", "reveal",
    "run_register_import", "start_register_import",
]
