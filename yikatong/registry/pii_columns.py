"""Columns of the register that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import ID, ID_MASK, Bytes, Cleared, Index, Text

from .models.cards import CHANGE_ATTACHMENT_PURPOSE
from .services.register_import import UPLOAD_PURPOSE

COLUMNS = {
    "registry.Person": (
        Text("id_enc"), Index("id_bidx", of="id_enc", fn=ID), Index("id_mask_bidx", of="id_enc", fn=ID_MASK),
        Text("phone_enc"), Index("phone_bidx", of="phone_enc"), Cleared("import_digest"),
    ),
    "registry.OrgPayee": (Cleared("import_digest"),),
    "registry.BankAccount": (Text("number_enc"), Index("number_bidx", of="number_enc")),
    "registry.ReferenceRecord": (
        Text("id_enc"), Index("id_bidx", of="id_enc", fn=ID),
        Text("related_id_enc"), Index("related_id_bidx", of="related_id_enc", fn=ID),
        Text("account_enc"), Index("account_bidx", of="account_enc"),
    ),
    "registry.PersonEvent": (Text("before_enc"),),
    "registry.RegisterImport": (Text("errors_enc"), Bytes("upload_enc", purpose=UPLOAD_PURPOSE)),
    "registry.AccountChangeRequest": (
        Text("number_enc"), Index("number_bidx", of="number_enc"),
        Bytes("attachment_enc", purpose=CHANGE_ATTACHMENT_PURPOSE),
    ),
}
