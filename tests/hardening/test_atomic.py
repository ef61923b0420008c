"""The one atomic-write helper: whole or not at all, temporaries removed on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.atomic import atomic_folder, atomic_path, check_output_file, check_output_folder, write_text
from corridor.errors import InputError


class Boom(Exception):
    pass


def test_write_text_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    write_text(target, "old")
    write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt, SystemExit])
def test_a_failure_mid_write_keeps_the_previous_version(tmp_path: Path, error: type[BaseException]) -> None:
    target = tmp_path / "r.csv"
    write_text(target, "a,b\n1,2\n")
    with pytest.raises(error), atomic_path(target) as tmp:
        tmp.write_text("a,b\n3,", encoding="utf-8")
        raise error()
    assert target.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_a_failure_mid_folder_leaves_no_table_written(tmp_path: Path) -> None:
    """A failure after the first tables used to leave them at their final names."""
    out = tmp_path / "out"
    with pytest.raises(Boom), atomic_folder(out) as tmp:
        (tmp / "flows.csv").write_text("x\n", encoding="utf-8")
        raise Boom()
    assert list(tmp_path.iterdir()) == []


def test_folder_is_renamed_whole_and_replaces_namesakes_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with atomic_folder(out) as tmp:
        (tmp / "flows.csv").write_text("1\n", encoding="utf-8")
    (out / "mine.txt").write_text("the user's own file", encoding="utf-8")
    with atomic_folder(out) as tmp:
        (tmp / "flows.csv").write_text("2\n", encoding="utf-8")
    assert (out / "flows.csv").read_text(encoding="utf-8") == "2\n"
    assert (out / "mine.txt").read_text(encoding="utf-8") == "the user's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize(
    ("where", "message"),
    [("missing/r.html", "does not exist"), ("a-folder", "it is a folder"), ("a-file/r.html", "is not a folder")],
)
def test_unwritable_file_targets_are_named(tmp_path: Path, where: str, message: str) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        check_output_file(tmp_path / where, field="output")
    assert info.value.problems[0].field == "output"


def test_read_only_folder_is_refused_before_writing() -> None:
    with pytest.raises(InputError, match="not writable"):
        check_output_file("/proc/r.html")
    with pytest.raises(InputError, match="not writable"):
        check_output_folder("/proc/out")


def test_folder_target_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="it is a file"):
        check_output_folder(tmp_path / "f")


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def test_sigterm_right_after_the_temporary_is_created_still_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the kill test found under load: with ``mkstemp`` a SIGTERM just after the file was
    created, before the ``try`` that removes it, left it behind.  Now the file is created inside
    the ``try``; a signal at that very moment (here: sent by the creation itself) is cleaned up."""
    import os
    import signal

    import corridor.atomic as atomic

    real_create = atomic._create_file

    def create_then_signal(tmp: Path) -> None:
        real_create(tmp)
        os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, _raise_exit)
    monkeypatch.setattr(atomic, "_create_file", create_then_signal)
    try:
        with pytest.raises(SystemExit):  # the probe of the folder is the first file created
            check_output_file(tmp_path / "r.html")
        assert list(tmp_path.iterdir()) == []
        monkeypatch.setattr(atomic, "check_output_file", lambda path: Path(path))
        with pytest.raises(SystemExit), atomic_path(tmp_path / "r.html") as tmp:
            tmp.write_text("never finished", encoding="utf-8")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert list(tmp_path.iterdir()) == []
