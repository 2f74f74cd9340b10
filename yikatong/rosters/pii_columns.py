"""Columns of rosters that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import ID, Bytes, Index, Text

from .importer.run import IMPORT_PURPOSE
from .models.attachment import ATTACHMENT_PURPOSE

COLUMNS = {
    "rosters.BatchItem": (
        Text("id_enc"), Index("id_bidx", of="id_enc", fn=ID),
        Text("phone_enc"), Index("phone_bidx", of="phone_enc"),
        Text("account_enc"), Index("account_bidx", of="account_enc"),
    ),
    "rosters.ImportRun": (Bytes("content_enc", purpose=IMPORT_PURPOSE), Text("problems_enc")),
    "rosters.Attachment": (Bytes("content_enc", purpose=ATTACHMENT_PURPOSE),),  # core.sealed
}
