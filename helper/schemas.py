"""Generate `schemas/`: JSON Schemas of the contract models and the OpenAPI document.

`scripts/gen-schemas` writes them; a test regenerates them in memory and fails on drift.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from helper.api import PREFIX, all_routes
from helper.api.openapi import build_openapi
from helper.models import Case, ErrorResponse, Evidence, Order

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "order.schema.json": Order,
    "case.schema.json": Case,
    "evidence.schema.json": Evidence,
    "error.schema.json": ErrorResponse,
}


def _dump(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def generate() -> dict[str, str]:
    """File name → content for everything in schemas/."""
    files = {}
    for name, model in SCHEMA_FILES.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://tousu-helper.local/schemas/{name}"
        files[name] = _dump(schema)
    files["openapi.json"] = _dump(build_openapi(all_routes(), PREFIX))
    return files


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in generate().items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
