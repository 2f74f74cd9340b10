"""Columns of accounts that depend on the data key (see registry/keyed.py)."""
from yikatong.registry.keyed import Text

COLUMNS = {
    "accounts.User": (Text("totp_secret"),),  # core.crypto.encrypt: same format as the Vault's
}
