"""The JSON form of a calibration (``corridor track calibrate --json``): the new network version and every
re-estimated stage (bundled prior, data, shrunk posterior, weight), and the closure rules added for
slower seasons."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class CalibrationPair(Shape):
    median_h: float
    p90_h: float


class CalibrationStage(Shape):
    kind: Literal["node", "link"]
    where: str
    n: int
    prior: CalibrationPair
    data: CalibrationPair
    posterior: CalibrationPair
    weight: float


class CalibrationSeason(Shape):
    """A closure rule calibration added for a quarter slower than the node's fastest."""

    id: str
    node: str
    months: list[int]
    closed_share: float
    episode_mean_h: float


class Calibration(Document):
    """A calibrated network version and what changed; ``out`` is the folder written (CLI only)."""

    KIND: ClassVar[str] = "calibration"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.calibration/1"] = Field(alias="schema")
    network: str
    version: str
    events: int
    first: str
    last: str
    tau2: float
    stages: list[CalibrationStage]
    seasonal_closures: list[CalibrationSeason]
    out: str | None = None
