"""Models of the public half (issue 15): one module per subject, imported here."""
from .lists import ListKind, ListState, PublishedList  # noqa: F401  (publish)
