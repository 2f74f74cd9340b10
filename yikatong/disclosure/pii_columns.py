"""Columns of the disclosure app that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import Bytes, Text

from .models.complaints import COMPLAINT_ATTACHMENT_PURPOSE

COLUMNS = {
    "disclosure.Complaint": (Text("phone_enc"), Bytes("attachment_enc", purpose=COMPLAINT_ATTACHMENT_PURPOSE)),
}
