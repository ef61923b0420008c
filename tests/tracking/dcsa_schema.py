"""The DCSA Track & Trace 2.2.0 specification file as a JSON Schema registry: the reference for our bodies."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

#: The published specification, bundled unchanged with its licence (tests/data/dcsa-tnt-2.2.0/README.md).
SPEC = Path(__file__).parents[1] / "data" / "dcsa-tnt-2.2.0" / "openapi.yaml"
URI = "urn:dcsa:tnt:2.2.0"


@cache
def spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return data


@cache
def _registry() -> Registry:  # type: ignore[type-arg]
    return Registry().with_resource(URI, Resource.from_contents(spec(), default_specification=DRAFT7))


def validator(schema: dict[str, Any]) -> Draft7Validator:
    return Draft7Validator(schema, registry=_registry(), format_checker=FormatChecker())


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"{URI}#/components/schemas/{name}"}


def events_response_schema() -> dict[str, Any]:
    """The 200 body of GET /v2/events, exactly as the specification declares it."""
    body = spec()["paths"]["/v2/events"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return _rebase(body)


def webhook_body_schema() -> dict[str, Any]:
    """The body of the subscription callback (POST to callbackUrl), as the specification declares it."""
    post = spec()["paths"]["/v2/event-subscriptions"]["post"]["callbacks"]["event"]["{$request.body.callbackUrl}"][
        "post"
    ]
    return _rebase(post["requestBody"]["content"]["application/json"]["schema"])


def _rebase(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (URI + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _rebase(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


def errors(schema: dict[str, Any], instance: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(schema).iter_errors(instance)]
