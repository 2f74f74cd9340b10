"""Test settings: fast hashing, tasks run immediately unless a test asks otherwise."""
from .demo import *  # noqa: F401,F403  (the bank simulator and the demo are part of tests)

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
YKT_DATA_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDA="
# Tests search the register many times in one test; the rate-limit tests set their own small limits.
YKT_LOOKUP_RATE = "10000/min"
# Workers started by tests (serve, fault injection) do not fire the schedule; its tests call it directly.
YKT_SCHEDULER_IN_WORKER = False
