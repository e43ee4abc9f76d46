"""Upload names that would show as something else: bidi overrides, invisible characters,
control characters are gone from the stored name; the original stays in the metadata."""

import pytest

from helper.uploads import sanitize_filename
from tests.api.test_evidence import form
from tests.conftest import Api, sample_order

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "invoice\u202egnp.exe" displays as "invoiceexe.png"


@pytest.mark.parametrize("name,stored", [
    (f"invoice{RLO}gnp.exe", "invoicegnp.exe"),
    ("\u2066照片\u2069\u200e\u200f\u061c.jpg", "照片.jpg"),
    ("\u202a\u202b\u202c\u202d收据.pdf", "收据.pdf"),
    ("zero\u200bwidth\ufeff.txt", "zerowidth.txt"),
    ("line\u2028break\x85next.txt", "line_break_next.txt"),
    ("%E2%80%AEcod.exe", "cod.exe"),  # percent-encoded RLO
    ("\u202e\u2066", "upload"),
])
def test_invisible_and_control_characters_are_removed(name: str, stored: str) -> None:
    assert sanitize_filename(name) == stored


async def test_an_uploaded_bidi_name_is_stored_plainly(api: Api) -> None:
    case_id = (await api.json("POST", "/orders", expect=201, json=sample_order()))["case"]["id"]
    body = await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                          data=form((f"聊天记录{RLO}txt.exe", "2025-11-10 卖家：不支持退货\n".encode())))
    evidence = body["evidence"][0]
    assert evidence["artifacts"][0]["filename"] == "聊天记录txt.exe"
    assert evidence["title"] == "聊天记录txt.exe"
