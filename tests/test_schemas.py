"""The checked-in schemas/ must match what the models generate (run scripts/gen-schemas)."""

from pathlib import Path

from helper.schemas import generate

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def test_checked_in_schemas_match_the_models() -> None:
    expected = generate()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    stale = sorted(name for name in expected if on_disk.get(name) != expected[name])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, (
        f"schemas/ drifted from helper/models/ (stale: {stale}, unexpected: {extra}); "
        "run scripts/gen-schemas and commit the result")


def test_order_schema_keeps_ids_as_strings() -> None:
    import json

    order = json.loads(generate()["order.schema.json"])
    assert order["properties"]["order_id"]["type"] == "string"
    item = order["$defs"]["OrderItem"]["properties"]["sub_order_id"]
    assert item["type"] == "string"
