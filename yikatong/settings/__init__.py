"""Default settings: the embedded deployment (SQLite under var/ unless DATABASE_URL says otherwise)."""
from .base import *  # noqa: F401,F403
