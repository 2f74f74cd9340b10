"""Default settings: the embedded deployment with its demo (SQLite under var/ unless DATABASE_URL says
otherwise), including the bank simulator. Production uses yikatong.settings.production."""
from .demo import *  # noqa: F401,F403
