"""Content-addressed file store for large results and uploads: ``<root>/ab/cdef…`` by SHA-256.

A blob is written to a temporary file in the same directory, flushed, fsynced and renamed, so a
reader sees either nothing or the whole blob; writing the same bytes twice is a no-op.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from corridor.atomic import write_bytes


class FileStore:
    """Blobs by digest under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a SHA-256 digest: {digest!r}")
        return self.root / digest[:2] / digest[2:]

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        dest = self.path(digest)
        if dest.exists():
            return digest
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(dest, data)  # the project's one atomic write (temporary, fsync, rename)
        return digest

    def get(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()
