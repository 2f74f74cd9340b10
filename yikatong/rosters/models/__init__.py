from .attachment import Attachment
from .batch import Batch, BatchEvent, BatchKind, BatchState
from .importrun import ImportMode, ImportRun
from .item import BatchItem
from .notice import Notice, Objection

__all__ = ["Attachment", "Batch", "BatchEvent", "BatchItem", "BatchKind", "BatchState", "ImportMode", "ImportRun", "Notice", "Objection"]
