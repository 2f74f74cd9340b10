"""SHA-256 and size of an uploaded file given as bytes or a path (streamed)."""
import hashlib
from pathlib import Path


def sha256_of(source) -> tuple[str, int]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return hashlib.sha256(data).hexdigest(), len(data)
    digest, size = hashlib.sha256(), 0
    with Path(source).open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
