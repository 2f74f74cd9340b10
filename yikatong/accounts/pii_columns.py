"""Columns of accounts that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import Text

COLUMNS = {
    "accounts.User": (Text("totp_secret"),  # core.crypto.encrypt: same format as the Vault's
                      Text("phone_enc")),
}
