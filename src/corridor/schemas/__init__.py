"""Result schemas: the one declaration of every JSON form corridor produces.

Each result kind (route, capacity, simulation, comparison, appraisal, network, error) has one
pydantic model in this package.  From it come the CLI's ``--json`` (:func:`dump`), the JSON Schema
(:func:`json_schema`, ``corridor schema KIND``) and the service's response models and OpenAPI
(``SCHEMAS[kind]`` as a FastAPI ``response_model``).  Every document carries
``"schema": "corridor.<kind>/<version>"``; a change of shape is a change here, a version bump and a
diff in the golden files (``make golden``).  Why pydantic: docs/design/result-schemas.md.

Engines never import this package (tests/test_architecture.py): results stay plain frozen
dataclasses, and their ``to_json()`` is checked against — and emitted through — these models.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from corridor.errors import CorridorError, InputError, NoRouteError, UnknownNameError
from corridor.schemas._base import Document
from corridor.schemas.appraisal import Appraisal
from corridor.schemas.calibration import Calibration
from corridor.schemas.capacity import Capacity
from corridor.schemas.comparison import Comparison
from corridor.schemas.delays import Delays
from corridor.schemas.equipment_check import EquipmentCheck
from corridor.schemas.error import Error
from corridor.schemas.eta import Eta
from corridor.schemas.eta_evaluation import EtaEvaluation
from corridor.schemas.network import Network
from corridor.schemas.operations import Operations
from corridor.schemas.route import Route
from corridor.schemas.simulation import Simulation

#: Every result kind and the model that declares its JSON form.
SCHEMAS: dict[str, type[Document]] = {
    model.KIND: model
    for model in (
        *(Route, Capacity, Simulation, Comparison, Appraisal, Network, Error),
        *(Eta, EtaEvaluation, Delays, Calibration, Operations, EquipmentCheck),  # tracking
    )
}


def model(kind: str) -> type[Document]:
    """The model of one result kind, e.g. ``model("route")``."""
    try:
        return SCHEMAS[kind]
    except KeyError:
        import difflib

        raise UnknownNameError("result kind", kind, difflib.get_close_matches(kind, SCHEMAS, n=3)) from None


class ShapeError(CorridorError):
    """A result's JSON form does not match its declared schema: a bug in corridor, reported as an
    error naming the document and the first mismatches (never a traceback, never a drifted document)."""


def dump(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a result's ``to_json()``) validated against its model, as the JSON document to emit:
    ``"schema"`` first, then the declared keys in declared order.

    Raises
    ------
    ShapeError
        ``data`` does not have the declared shape — a bug in the result's ``to_json``, which the
        schema tests (tests/schemas) catch before it reaches a user.
    """
    cls = model(kind)
    try:
        document = cls.model_validate({"schema": cls.schema_id(), **data})
    except ValidationError as exc:
        wrong = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)[:5]
        )
        more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise ShapeError(
            f"internal error: the {kind} result does not match its declared schema {cls.schema_id()}: "
            f"{wrong}{more} — please report it; src/corridor/schemas/{kind}.py declares the shape"
        ) from None
    return document.model_dump(mode="json", by_alias=True)


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one result kind's documents, with its ``$id``."""
    cls = model(kind)
    schema = cls.model_json_schema(by_alias=True, mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": cls.schema_id(), **schema}


_ERROR_TYPES: dict[type[CorridorError], tuple[str, int]] = {
    UnknownNameError: ("unknown-name", 404),
    InputError: ("bad-input", 422),
    NoRouteError: ("no-route", 422),
    CorridorError: ("error", 422),
}


def error_document(exc: CorridorError) -> dict[str, Any]:
    """The ``corridor.error`` document of a corridor error (an RFC 9457 problem body)."""
    kind, status = next(v for k, v in _ERROR_TYPES.items() if isinstance(exc, k))
    problems = [
        {
            "source": p.source,
            "message": p.message,
            "line": p.line,
            "field": p.field,
            "record": p.record,
            "expected": p.expected,
            "got": p.got,
        }
        for p in getattr(exc, "problems", ())
    ]
    title = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return dump("error", {"type": kind, "title": title, "status": status, "detail": str(exc), "problems": problems})


__all__ = ["SCHEMAS", "Document", "ShapeError", "dump", "error_document", "json_schema", "model"]
