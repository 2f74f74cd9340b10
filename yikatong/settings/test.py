"""Test settings: fast hashing, tasks run immediately unless a test asks otherwise."""
import os
from pathlib import Path

# Under pytest-xdist each worker keeps its files (uploads, bank drop boxes, secrets) in a var/ of its
# own, so two workers never see each other's outbox. Set before the settings below read YKT_VAR_DIR.
if os.environ.get("PYTEST_XDIST_WORKER") and "YKT_VAR_DIR" not in os.environ:
    # not through .env: importing it here would fix VAR_DIR before the variable is set
    _root = Path(__file__).resolve().parent.parent.parent
    os.environ["YKT_VAR_DIR"] = str(_root / "var" / f"test-{os.environ['PYTEST_XDIST_WORKER']}")

from .demo import *  # noqa: F401,F403  (the bank simulator and the demo are part of tests)

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
YKT_DATA_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDA="
# Tests search the register many times in one test; the rate-limit tests set their own small limits.
YKT_LOOKUP_RATE = "10000/min"
# Workers started by tests (serve, fault injection) do not fire the schedule; its tests call it directly.
YKT_SCHEDULER_IN_WORKER = False
# Argon2 still (the format production verifies), with the smallest parameters: tests hash hundreds of
# passwords, and production's cost was a tenth of the suite (tests/support/hashers.py).
PASSWORD_HASHERS = ["tests.support.hashers.FastArgon2PasswordHasher",
                    "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
