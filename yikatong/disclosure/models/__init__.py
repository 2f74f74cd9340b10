"""Models of the public half (issue 15): one module per subject, imported here."""
from .lists import ListKind, ListState, PublishedList  # noqa: F401  (publish)
from .complaints import Complaint, ComplaintNumberSequence, ComplaintReply  # noqa: F401  (complaints)
