"""Safe zip extraction for uploaded network folders: no traversal, no links, capped size and count."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from corridor.errors import Problem
from corridor.service.problems import ApiProblem


def _bad(message: str, name: str = "upload.zip") -> ApiProblem:
    return ApiProblem(422, "invalid-upload", "Invalid upload", message, problems=[Problem(name, message)])


def extract_zip(data: bytes, dest: Path, *, max_files: int, max_bytes: int) -> Path:
    """Extract ``data`` into ``dest`` and return the network folder (the one holding network.toml).

    Raises an :class:`ApiProblem` (422) naming the entry for: not a zip, absolute or ``..`` paths,
    symbolic links, more than ``max_files`` entries, more than ``max_bytes`` uncompressed.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _bad("the upload is not a zip archive") from None
    infos = archive.infolist()
    if len(infos) > max_files:
        raise _bad(f"the archive has {len(infos)} entries; at most {max_files} are accepted")
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise _bad(f"unsafe path in archive: {name!r}", name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _bad(f"symbolic links are not accepted: {name!r}", name)
        total += info.file_size
        if total > max_bytes:
            raise _bad(f"the archive expands to more than {max_bytes} bytes")
    root = dest.resolve()
    for info in infos:
        target = (root / info.filename).resolve()
        if not target.is_relative_to(root):
            raise _bad(f"unsafe path in archive: {info.filename!r}", info.filename)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src:
            chunk = src.read(max_bytes + 1)
            if len(chunk) > info.file_size:
                raise _bad(f"entry {info.filename!r} is larger than its header says", info.filename)
            target.write_bytes(chunk)
    manifests = sorted(root.rglob("network.toml"), key=lambda p: len(p.parts))
    if not manifests:
        raise _bad("the archive holds no network.toml (a network folder: network.toml, nodes.csv, links.csv, …)")
    return manifests[0].parent
