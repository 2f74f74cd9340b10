"""Columns of applications that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import ID, Index, Text

COLUMNS = {
    "applications.Application": (
        Text("id_enc"), Index("id_bidx", of="id_enc", fn=ID), Text("phone_enc"), Text("account_enc"),
    ),
}
