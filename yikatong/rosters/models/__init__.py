from .attachment import Attachment
from .batch import Batch, BatchEvent, BatchKind
from .importrun import ImportMode, ImportRun
from .item import BatchItem
from .notice import Notice, Objection

__all__ = ["Attachment", "Batch", "BatchEvent", "BatchItem", "BatchKind", "ImportMode", "ImportRun", "Notice", "Objection"]
