"""Writing files and folders whole or not at all.

Every file corridor writes goes through :func:`atomic_path` (or :func:`write_text` /
:func:`write_bytes`): the content goes to a temporary name in the same folder, is flushed to disk,
and is renamed over the final name in one step, so a reader — or a user after a crash — sees the
final name absent, complete, or still the previous version, never half-written.  A multi-file
output goes through :func:`atomic_folder`: built in a temporary sibling folder and renamed into
place whole.  Temporaries are removed on any failure, including ``KeyboardInterrupt`` (SIGINT)
and ``SystemExit`` (the CLI turns SIGTERM into one); only SIGKILL can leave one behind, under a
hidden ``.NAME.*.part`` name that is never mistaken for the output.

:func:`check_output_file` and :func:`check_output_folder` say *before* any work whether a path can
be written, so a long computation never fails at its last step.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corridor.errors import InputError, Problem

__all__ = [
    "atomic_folder",
    "atomic_path",
    "check_output_file",
    "check_output_folder",
    "write_bytes",
    "write_text",
]


def _fail(path: Path, message: str, field: str | None) -> InputError:
    return InputError(f"cannot write {str(path)!r}: {message}", [Problem(str(path), message, field=field)])


def _check_folder_writable(folder: Path, path: Path, field: str | None) -> None:
    if not folder.exists():
        raise _fail(path, f"folder {str(folder)!r} does not exist", field)
    if not folder.is_dir():
        raise _fail(path, f"{str(folder)!r} is not a folder", field)
    probe = _temporary_name(folder / "corridor-probe", ".probe")
    try:
        _create_file(probe)
    except OSError as exc:
        raise _fail(path, f"folder {str(folder)!r} is not writable ({exc.strerror or exc})", field) from None
    finally:
        probe.unlink(missing_ok=True)


def check_output_file(path: str | Path, *, field: str | None = None) -> Path:
    """Raise :class:`InputError` unless ``path`` can be written as a file (its folder exists and is
    writable, and it is not itself a folder); ``field`` names the parameter in the problem."""
    path = Path(path)
    if path.is_dir():
        raise _fail(path, "it is a folder; give a file name", field)
    _check_folder_writable(path.parent if str(path.parent) else Path("."), path, field)
    return path


def check_output_folder(path: str | Path, *, field: str | None = None) -> Path:
    """Raise :class:`InputError` unless ``path`` can be written as a folder of outputs (it is a
    writable folder, or it does not exist yet and its parent is a writable folder)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise _fail(path, "it is a file; give a folder", field)
    _check_folder_writable(path if path.is_dir() else path.parent, path, field)
    return path


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - folders that cannot be opened (some platforms)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _temporary_name(target: Path, suffix: str = ".part") -> Path:
    """A fresh hidden name next to ``target``.  The file is created only *inside* the ``try`` that
    removes it, so no interrupt can fall between creating it and owning its cleanup (with
    ``mkstemp`` the name arrives after the file exists — a SIGTERM just then left it behind)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{suffix}")


def _create_file(tmp: Path) -> None:
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; when the block ends without error it is flushed and
    renamed to ``path``.  On any error (or interrupt) the temporary is removed and ``path`` is
    untouched."""
    path = check_output_file(path)
    tmp = _temporary_name(path)
    try:
        _create_file(tmp)
        yield tmp
        _fsync_file(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


@contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """Yield a temporary sibling folder of ``path`` to fill; when the block ends without error the
    folder replaces ``path``.

    If ``path`` does not exist (or is an empty folder) the whole folder is renamed into place in one
    step.  If it exists with files in it, each new file is renamed over its namesake one at a time —
    every name is then absent, complete or the previous version, and files this output does not
    produce are left alone.  On any error the temporary folder is removed.
    """
    path = check_output_folder(path)
    tmp = _temporary_name(path)
    try:
        tmp.mkdir(mode=0o700)
        yield tmp
        for child in tmp.iterdir():
            if child.is_file():
                _fsync_file(child)
        os.chmod(tmp, 0o755)
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
        if not path.exists():
            os.replace(tmp, path)
        else:
            for child in sorted(tmp.iterdir()):
                os.replace(child, path / child.name)
        _fsync_folder(path.parent)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
