"""Content-addressed file store for large results and uploads: ``<root>/ab/cdef…`` by SHA-256.

A blob is written to a temporary file in the same directory, flushed, fsynced and renamed, so a
reader sees either nothing or the whole blob; writing the same bytes twice is a no-op.  A process
killed mid-write (SIGKILL, power loss) leaves its hidden ``.NAME.….part`` temporary behind:
:meth:`FileStore.sweep`, run when the service starts, removes those older than
:data:`STALE_PART_S` (younger ones may belong to another server writing into the same data dir).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from corridor.atomic import write_bytes

#: A temporary older than this is no one's write in progress: an hour is far beyond the largest
#: blob's write time (a report of a few MB), and far below the days a data dir lives.
STALE_PART_S = 3600.0


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

    def sweep(self, older_than_s: float = STALE_PART_S) -> int:
        """Remove temporaries left by killed writers, older than ``older_than_s``; return how many."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - older_than_s
        removed = 0
        for tmp in self.root.glob("*/.*.part"):
            try:
                if tmp.is_file() and tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:  # another server swept it first
                continue
        return removed
