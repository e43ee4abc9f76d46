"""Evidence uploads: hashed, sniffed, deduplicated, safely named, served back intact."""

import hashlib
import json
import struct
import zlib

import aiohttp
import pytest

from helper.config import load_settings
from helper.state import STORE
from tests.conftest import Api, sample_order


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    """A real, decodable PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def form(*files: tuple[str, bytes], **fields: str) -> aiohttp.FormData:
    data = aiohttp.FormData(quote_fields=False, default_to_multipart=True)  # as browsers send it
    for name, content in files:
        data.add_field("file", content, filename=name, content_type="application/octet-stream")
    for key, value in fields.items():
        data.add_field(key, value)
    return data


async def _case(api: Api) -> str:
    return (await api.json("POST", "/orders", expect=201, json=sample_order()))["case"]["id"]


async def test_photo_and_chat_upload_round_trip(api: Api) -> None:
    case_id = await _case(api)
    photo, chat = png_bytes(), "2025-11-10 卖家：不支持退货\n".encode()
    body = await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                          data=form(("破损.png", photo), ("聊天记录.txt", chat)))
    photo_ev, chat_ev = body["evidence"]
    assert photo_ev["artifacts"][0] == {
        "role": "original", "sha256": hashlib.sha256(photo).hexdigest(), "size": len(photo),
        "media_type": "image/png", "filename": "破损.png"}
    assert photo_ev["category"] == "product_photo"
    assert chat_ev["artifacts"][0]["media_type"] == "text/plain"

    response = await api.get(f"/evidence/{photo_ev['id']}/content")
    assert response.status == 200
    assert await response.read() == photo
    assert response.headers["Content-Type"] == "image/png"
    assert "sandbox" in response.headers["Content-Security-Policy"]

    listed = await api.json("GET", f"/cases/{case_id}/evidence")
    assert [e["id"] for e in listed["evidence"]] == [photo_ev["id"], chat_ev["id"]]
    case = await api.json("GET", f"/cases/{case_id}")
    assert [t["kind"] for t in case["timeline"]][-2:] == ["evidence_added", "evidence_added"]
    added = [e for e in await api.app[STORE].audit.entries(case_id) if e.action == "evidence_added"]
    assert added[-1].data["artifacts"][0]["sha256"] == chat_ev["artifacts"][0]["sha256"]


async def test_category_and_title_fields(api: Api) -> None:
    case_id = await _case(api)
    body = await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                          data=form(("a.png", png_bytes()), category="logistics", title="物流截图"))
    assert body["evidence"][0]["category"] == "logistics"
    assert body["evidence"][0]["title"] == "物流截图"


async def test_bad_category_is_422_and_nothing_recorded(api: Api) -> None:
    case_id = await _case(api)
    response = await api.post(f"/cases/{case_id}/evidence",
                              data=form(("a.png", png_bytes()), category="bribe"))
    assert response.status == 422
    assert (await api.json("GET", f"/cases/{case_id}/evidence"))["evidence"] == []


@pytest.mark.parametrize("name,stored", [
    ("../../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system32\\x.png", "x.png"),
    ("/abs/path/照片.jpg", "照片.jpg"),
    ("..", "upload"),
    ("%2E%2E%2Fsecret.txt", "secret.txt"),
    ("a<b>:c|?.png", "a_b__c__.png"),
    (".bashrc", "bashrc"),
])
async def test_path_tricks_in_upload_names_are_neutralised(api: Api, name: str, stored: str) -> None:
    case_id = await _case(api)
    body = await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                          data=form((name, b"plain text evidence")))
    artifact = body["evidence"][0]["artifacts"][0]
    assert artifact["filename"] == stored
    blobs = api.app[STORE].blobs
    assert blobs.path(artifact["sha256"]).is_relative_to(blobs.root)


async def test_fake_extension_does_not_fool_the_sniffer(api: Api) -> None:
    case_id = await _case(api)
    body = await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                          data=form(("photo.jpg", b"\x7fELF\x02\x01\x01" + bytes(200))))
    artifact = body["evidence"][0]["artifacts"][0]
    assert not artifact["media_type"].startswith("image/")
    response = await api.get(f"/evidence/{body['evidence'][0]['id']}/content")
    assert response.headers["Content-Disposition"].startswith("attachment")


async def test_identical_content_is_stored_once(api: Api) -> None:
    case_id = await _case(api)
    photo = png_bytes(5, 5)
    await api.json("POST", f"/cases/{case_id}/evidence", expect=201, data=form(("a.png", photo)))
    await api.json("POST", f"/cases/{case_id}/evidence", expect=201, data=form(("b.png", photo)))
    root = api.app[STORE].blobs.root
    assert len([p for p in root.rglob("*") if p.is_file()]) == 1
    assert len((await api.json("GET", f"/cases/{case_id}/evidence"))["evidence"]) == 2


async def test_empty_or_missing_file_is_400(api: Api) -> None:
    case_id = await _case(api)
    for data in (form(("empty.png", b"")), form(title="只有标题")):
        response = await api.post(f"/cases/{case_id}/evidence", data=data)
        assert response.status == 400
        assert (await response.json())["error"]["code"] == "invalid_upload"
    assert (await api.json("GET", f"/cases/{case_id}/evidence"))["evidence"] == []


async def test_upload_to_unknown_case_is_404(api: Api) -> None:
    response = await api.post("/cases/case-nope/evidence", data=form(("a.png", png_bytes())))
    assert response.status == 404


async def test_upload_needs_multipart(api: Api) -> None:
    case_id = await _case(api)
    response = await api.post(f"/cases/{case_id}/evidence", json={"file": "x"})
    assert response.status == 415


async def test_oversized_upload_is_413_and_leaves_no_partial_file(aiohttp_client, tmp_path) -> None:  # noqa: ANN001
    from helper.app import create_app
    from helper.state import PAIRING

    settings = load_settings(tmp_path / "data", secrets_backend="file", upload_max_mb=1)
    app = create_app(settings)
    client = await aiohttp_client(app)
    code, _ = app[PAIRING].new_code()
    token = (await (await client.post("/api/v1/pair", json={"code": code, "client_name": "t"})).json())["token"]
    small = Api(client, token, app)
    case_id = await _case(small)
    response = await small.post(f"/cases/{case_id}/evidence",
                                data=form(("big.mp4", b"\x00" * (3 * 1024 * 1024))))
    assert response.status == 413
    blobs = app[STORE].blobs
    assert [p for p in blobs.root.rglob("*") if p.is_file()] == []
    assert list(blobs.tmp.iterdir()) == []
    assert (await small.json("GET", f"/cases/{case_id}/evidence"))["evidence"] == []


async def test_unknown_evidence_and_role_are_404(api: Api) -> None:
    case_id = await _case(api)
    body = await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                          data=form(("a.png", png_bytes())))
    assert (await api.get("/evidence/ev-nope/content")).status == 404
    response = await api.get(f"/evidence/{body['evidence'][0]['id']}/content", params={"role": "pdf"})
    assert response.status == 404
    assert "has: original" in (await response.json())["error"]["message"]


async def test_uploads_are_covered_by_the_signed_manifest(api: Api) -> None:
    case_id = await _case(api)
    body = await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                          data=form(("破损.png", png_bytes())))
    report = await api.json("GET", f"/cases/{case_id}/verify")
    assert report["ok"] is True, report
    manifest = json.loads((await api.app[STORE].manifests.load(case_id))["manifest_json"])
    assert body["evidence"][0]["id"] in json.dumps(manifest)
