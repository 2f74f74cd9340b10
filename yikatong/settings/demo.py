"""Demo layer over base: the bank simulator (yikatong.banksim) and `yikatong demo` (demo users,
synthetic register). Used by the default settings (`make run`) and by tests; never by production."""
from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS

DEMO_APPS = ["yikatong.banksim"]
INSTALLED_APPS = [*INSTALLED_APPS, *DEMO_APPS]
YKT_DEMO_ENABLED = True
