"""The content-addressed file store: blobs by SHA-256, idempotent writes, and the start-up sweep of
temporaries that a killed writer leaves behind."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from corridor.service.app import create_app
from corridor.service.settings import Settings
from corridor.service.store import STALE_PART_S, FileStore


def test_a_blob_is_stored_under_its_sha256_and_written_once(tmp_path) -> None:
    store = FileStore(tmp_path)
    data = b"corridor" * 1000
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    path = store.path(digest)
    assert path == tmp_path / digest[:2] / digest[2:]
    assert store.get(digest) == data and store.exists(digest)
    before = path.stat().st_mtime_ns
    time.sleep(0.01)
    assert store.put(data) == digest
    assert path.stat().st_mtime_ns == before  # the second write of the same bytes is a no-op
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


@pytest.mark.parametrize("digest", ["", "ab", "../" + "0" * 61, "A" * 64, "g" * 64])
def test_a_name_that_is_not_a_digest_is_refused(tmp_path, digest: str) -> None:
    with pytest.raises(ValueError, match="not a SHA-256 digest"):
        FileStore(tmp_path).path(digest)


def _part(folder, name: str, age_s: float):
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / name
    tmp.write_bytes(b"half a blob")
    then = time.time() - age_s
    os.utime(tmp, (then, then))
    return tmp


def test_the_sweep_removes_only_stale_temporaries(tmp_path) -> None:
    store = FileStore(tmp_path)
    kept = store.put(b"a whole blob")
    stale = _part(tmp_path / "ab", ".cdef.0123456789ab.part", STALE_PART_S + 60)
    fresh = _part(tmp_path / "ab", ".cdef.ba9876543210.part", 5)  # another server writing right now
    assert store.sweep() == 1
    assert not stale.exists() and fresh.exists() and store.get(kept) == b"a whole blob"
    assert store.sweep() == 0
    assert FileStore(tmp_path / "missing").sweep() == 0


def test_the_service_sweeps_its_store_when_it_starts(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    stale = _part(settings.store_dir / "00", ".11.222222222222.part", 2 * STALE_PART_S)
    create_app(settings)
    assert not stale.exists()
