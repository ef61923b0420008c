"""The public surface: ``corridor.__all__`` is sorted and every name in it exists."""

from __future__ import annotations

import corridor


def test_all_is_sorted_and_complete() -> None:
    assert corridor.__all__ == sorted(corridor.__all__)
    for name in corridor.__all__:
        assert hasattr(corridor, name), name


def test_public_names_are_not_private() -> None:
    assert not [n for n in corridor.__all__ if n.startswith("_")]
