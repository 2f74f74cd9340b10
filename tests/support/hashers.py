"""A cheap Argon2 for the test settings only.

Production hashes with Django's Argon2 parameters (about 0.13 s per hash on the CI machine, by
design). Tests create and log in hundreds of users, and that cost was a tenth of the suite. This
hasher writes the same `argon2$` format with the smallest parameters argon2 allows; a hash it
writes is verified by the production hasher (the parameters travel inside the hash), and the
production hasher re-hashes it on the next login (must_update)."""
from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB: argon2's minimum for one lane
    parallelism = 1
