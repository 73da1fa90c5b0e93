"""The generated OpenAPI document keeps everything the hand-written one described (openapi_before.json).

Paths, methods, parameters, response codes, component schemas and the property names of every request and
response body must still be there; additions are fine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BEFORE = json.loads((Path(__file__).parent / "openapi_before.json").read_text(encoding="utf-8"))
METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
def after(client) -> dict:
    """Today's document, as clients fetch it (public, no token)."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _properties(document: dict, schema: dict, prefix: str = "", seen: frozenset = frozenset()) -> set[str]:
    """Every property name reachable in a schema, as dotted paths (`items[].response.text`)."""
    ref = schema.get("$ref")
    if ref in seen:
        return set()
    seen = seen | {ref} if ref else seen
    schema = _resolve(document, schema)
    names: set[str] = set()
    for part in schema.get("allOf", []) + schema.get("anyOf", []) + schema.get("oneOf", []):
        names |= _properties(document, part, prefix, seen)
    for name, sub in schema.get("properties", {}).items():
        names.add(prefix + name)
        names |= _properties(document, sub, f"{prefix}{name}.", seen)
    if "items" in schema and isinstance(schema["items"], dict):
        names |= _properties(document, schema["items"], f"{prefix}[].", seen)
    return names


def _body_schema(content: dict | None) -> dict:
    return (content or {}).get("application/json", {}).get("schema", {})


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _params(operation: dict) -> set[tuple[str, str, bool]]:
    return {(p["name"], p["in"], bool(p.get("required"))) for p in operation.get("parameters", [])}


def test_server_url_kept(after):
    """Paths are relative to the same server URL."""
    assert after["servers"] == BEFORE["servers"]


def test_paths_and_methods_kept(after):
    """Every path and method of yesterday's document is still described."""
    before = {(path, method) for path, method, _op in _operations(BEFORE)}
    now = {(path, method) for path, method, _op in _operations(after)}
    assert before - now == set()


@pytest.mark.parametrize(("path", "method"), [(p, m) for p, m, _o in _operations(BEFORE)])
def test_operation_kept(after, path, method):
    """Parameters (name, place, required), response codes, bodies and their property names are all kept."""
    old = BEFORE["paths"][path][method]
    new = after["paths"][path][method]
    assert _params(old) - _params(new) == set()
    assert set(old["responses"]) - set(new["responses"]) == set()
    for code, response in old["responses"].items():
        old_names = _properties(BEFORE, _body_schema(response.get("content")))
        new_names = _properties(after, _body_schema(new["responses"][code].get("content")))
        assert old_names - new_names == set(), f"{method.upper()} {path} {code}"
        assert set(response.get("headers", {})) - set(new["responses"][code].get("headers", {})) == set()
    if "requestBody" in old:
        old_names = _properties(BEFORE, _body_schema(old["requestBody"]["content"]))
        new_names = _properties(after, _body_schema(new["requestBody"]["content"]))
        assert old_names - new_names == set()
        assert set(_resolve(BEFORE, _body_schema(old["requestBody"]["content"])).get("required", [])) == set(
            _resolve(after, _body_schema(new["requestBody"]["content"])).get("required", [])
        )
    assert new.get("security"), "every operation asks for the token"


def test_component_schemas_kept(after):
    """Every component schema is still there, with all its property names."""
    for name, schema in BEFORE["components"]["schemas"].items():
        assert name in after["components"]["schemas"], name
        assert _properties(BEFORE, schema) - _properties(after, after["components"]["schemas"][name]) == set(), name


def test_bearer_security_scheme_kept(after):
    """Tools still learn that the API takes a bearer token."""
    schemes = after["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme", "").lower() == "bearer" for s in schemes.values())
