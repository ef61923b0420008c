"""The per-replication reduction: histogram quantiles (pooled, and the kernel's own) and the flow → OD fold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from corridor.sim._experiment import fold_by_od
from corridor.sim._kernel import _hist_quantiles
from corridor.sim._replication import hist_quantiles


def _row_by_row(hist: np.ndarray, bin_h: float, qs: tuple[float, ...]) -> np.ndarray:
    """Reference: one row and one quantile at a time with ``searchsorted``."""
    out = np.full((hist.shape[0], len(qs)), np.nan)
    cum = np.cumsum(hist, axis=1)
    for r in range(hist.shape[0]):
        total = cum[r, -1]
        if total <= 0:
            continue
        for j, q in enumerate(qs):
            k = int(np.searchsorted(cum[r], q * total, side="left"))
            below = cum[r, k - 1] if k > 0 else 0.0
            frac = (q * total - below) / hist[r, k] if hist[r, k] > 0 else 0.0
            out[r, j] = (k + frac) * bin_h
    return out


def test_quantiles_of_a_hand_worked_histogram() -> None:
    # 4 units: 2 in [1, 2) h, 2 in [2, 3) h; the median is where the first bin with cargo ends
    # (2.0 h), P90 is 1.6 of the 2 units into [2, 3): 2.8 h; an empty row has none
    out = hist_quantiles(np.array([[0.0, 2.0, 2.0], [0.0, 0.0, 0.0]]), 1.0, (0.5, 0.9))
    assert out[0].tolist() == pytest.approx([2.0, 2.8])
    assert np.isnan(out[1]).all()


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 6), st.integers(1, 40)), elements=st.sampled_from([0.0, 0.5, 1.0, 3.0])
    ),
    st.sampled_from([0.1, 1.0, 24.0]),
)
def test_vectorised_quantiles_match_row_by_row(hist: np.ndarray, bin_h: float) -> None:
    qs = (0.0001, 0.5, 0.9, 0.95, 1.0)
    np.testing.assert_array_equal(hist_quantiles(hist, bin_h, qs), _row_by_row(hist, bin_h, qs))
    # the kernel computes each replication's quantiles itself, with the same arithmetic: equal, not close
    in_kernel = np.full((hist.shape[0], len(qs)), np.nan)
    _hist_quantiles(hist, bin_h, np.array(qs), in_kernel)
    np.testing.assert_array_equal(in_kernel, _row_by_row(hist, bin_h, qs))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=12), st.integers(1, 5))
def test_fold_adds_each_flow_into_its_od(flow_od: list[int], width: int) -> None:
    n_od = max(flow_od) + 1
    values = np.arange(len(flow_od) * width, dtype=float).reshape(len(flow_od), width) ** 1.5
    indicator = np.zeros((n_od, len(flow_od)))  # the plan's matrix form of the same sums
    indicator[flow_od, np.arange(len(flow_od))] = 1.0
    expected = indicator @ values
    np.testing.assert_allclose(fold_by_od(np.array(flow_od, dtype=np.int64), n_od, values), expected)
    assert fold_by_od(np.array(flow_od, dtype=np.int64), n_od, values[:, 0]).shape == (n_od,)
