"""The signed export bundle (a ZIP anyone can check without this software) and its checker.

Layout of `tousu-<order_id>.zip`:

    VERIFY.txt            how to check the bundle with sha256sum and openssl (中文 + English)
    manifest.json         canonical JSON: every file below with sha256 and size, and the
                          case manifest (evidence, capture metadata, audit head) from
                          helper.integrity — signed as-is, byte for byte
    manifest.json.sig     raw 64-byte Ed25519 signature over manifest.json
    public_key.pem        the signing key's public half (SubjectPublicKeyInfo PEM)
    SHA256SUMS            `sha256sum -c` format, the same hashes as manifest.json
    complaint.txt         the latest draft, or a note that none exists
    report.pdf            order, timeline, draft, evidence list with hashes and thumbnails
    case.json             the order facts and the timeline as data
    evidence/NNN-<id>/    every artifact of every evidence item, byte-identical to the archive

The manifest and its signature come from `helper.integrity` (`case_manifest`,
`sign_manifest`, `verify_signature`); this module adds the file list around it.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import mimetypes
import os
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from helper import __version__
from helper.models import BundleCheck, Case, Evidence, utc_now
from helper.store.audit import canonical_json

if TYPE_CHECKING:
    from helper.config import Settings
    from helper.secrets import Secrets
    from helper.store import CaseStore

BUNDLE_FORMAT = "tousu-helper/bundle/1"
MANIFEST, SIGNATURE, PUBLIC_KEY, SUMS = "manifest.json", "manifest.json.sig", "public_key.pem", "SHA256SUMS"
UNLISTED = (MANIFEST, SIGNATURE, PUBLIC_KEY)
"""The only files the manifest cannot list: itself, its signature, and the key that checks it."""
CHUNK = 1 << 20
COMPRESSIBLE = ("text/", "application/json", "multipart/related", "message/rfc822",
                "application/x-mimearchive", "image/svg+xml", "image/bmp")
NO_DRAFT = ("（尚无投诉草稿）\n"
            "这个案件还没有生成投诉草稿。请在浏览器扩展的投诉助手面板中选择投诉类型和诉求后生成草稿，"
            "再重新导出。\n\n"
            "(No complaint draft yet.) This case has no draft. Generate one from the 投诉助手 panel "
            "of the browser extension (choose the complaint type and your demand), then export again.\n")


class ExportError(Exception):
    """The bundle cannot be made; the message names the case, evidence item and file."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    case_id: str
    order_id: str
    files: int
    size: int
    seconds: dict[str, float]


# -- building ---------------------------------------------------------------------------------

def _ext(filename: str, media_type: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        return suffix
    return {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf",
            "text/html": ".html", "multipart/related": ".mhtml"}.get(
        media_type, mimetypes.guess_extension(media_type) or ".bin")


def _role_name(role: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "_", role.lower())[:32] or "file"


def evidence_paths(evidence: list[Evidence]) -> dict[tuple[str, str], str]:
    """(evidence id, role) → ASCII path in the bundle (portable across unzip tools)."""
    paths = {}
    for n, ev in enumerate(evidence, start=1):
        folder = f"evidence/{n:03d}-{ev.id}"
        for a in ev.artifacts:
            paths[(ev.id, a.role)] = f"{folder}/{_role_name(a.role)}{_ext(a.filename, a.media_type)}"
    return paths


def check_blobs(store: CaseStore, case: Case, evidence: list[Evidence]) -> None:
    """Every artifact's stored file must exist before anything is written."""
    missing = []
    for ev in evidence:
        for a in ev.artifacts:
            if not store.blobs.path(a.sha256).is_file():
                missing.append(f"evidence {ev.id} ({ev.title!r}): the {a.role} file {a.filename!r} "
                               f"(sha256 {a.sha256[:16]}…) is missing from the archive")
    if missing:
        raise ExportError(f"cannot export case {case.id} (order {case.order.order_id}): "
                          + "; ".join(missing[:10])
                          + (f"; and {len(missing) - 10} more" if len(missing) > 10 else "")
                          + ". Run `tousu-helper verify " + case.id + "` for the full report.")


def latest_draft_text(store: CaseStore, case_id: str) -> tuple[str | None, dict[str, Any]]:
    """complaint.txt: the latest stored draft (helper/complaint, issue 4) — its full text and
    the version cut to the platform form's limit — or None when the case has no draft."""
    getter = getattr(store, "get_draft", None)
    if getter is None:
        return None, {}
    found = getter(case_id)
    if found is None:
        return None, {}
    draft = found[1].model_dump(mode="json")
    text = draft.get("text") or ""
    if not text.strip():
        return None, draft
    parts = [f"{draft.get('title') or '投诉'}（第 {draft.get('version')} 版，生成于 "
             f"{_bj(draft.get('generated_at'))}）", "", text.rstrip()]
    form_text = draft.get("form_text")
    if form_text and form_text.strip() != text.strip():
        parts += ["", f"—— 平台表单版（不超过 {draft.get('form_limit')} 字）· form version ——", "",
                  form_text.rstrip()]
    return "\n".join(parts) + "\n", draft


def _verify_text(case: Case, key_fingerprint: str, exported_at: str, zip_name: str) -> str:
    return f"""投诉助手 证据包 · Tousu Helper evidence bundle
=============================================

案件 Case:        {case.id}
订单号 Order id:  {case.order.order_id} ({case.order.platform.value})
导出时间 Exported: {exported_at} (UTC)
签名公钥指纹 Signing key fingerprint (SHA-256 of the raw Ed25519 public key):
  {key_fingerprint}

这个证据包可以不用投诉助手软件、只用标准工具校验。任何一个字节被改动，下面某一步就会失败。
Anyone can check this bundle with standard tools, without Tousu Helper. If any byte was
changed, one of the steps below fails.

第 1 步 · Step 1 — 解压 Unzip
    unzip {zip_name} -d bundle && cd bundle

第 2 步 · Step 2 — 校验每个文件的 SHA-256 · Check every file's SHA-256
    sha256sum -c SHA256SUMS
    (macOS: shasum -a 256 -c SHA256SUMS;  Windows: certutil -hashfile FILE SHA256)
    每一行都必须是 OK · every line must end in OK.

第 3 步 · Step 3 — 校验签名 · Check the Ed25519 signature of manifest.json (OpenSSL 3.0+)
    openssl pkeyutl -verify -pubin -inkey public_key.pem -rawin \\
        -in manifest.json -sigfile manifest.json.sig
    必须输出 · must print: Signature Verified Successfully

第 4 步 · Step 4 — 确认 SHA256SUMS 就是签名清单里的那一份 · Tie SHA256SUMS to the signed manifest
    sha256sum SHA256SUMS
    grep -o '"path":"SHA256SUMS","sha256":"[0-9a-f]*"' manifest.json
    两个哈希必须相同 · the two hashes must be equal. (manifest.json lists every file with its
    sha256 and size; SHA256SUMS is the same list in sha256sum's format.)

第 5 步 · Step 5 — 核对公钥 · Check the key
    openssl pkey -pubin -in public_key.pem -outform DER | tail -c 32 | sha256sum
    结果应等于上面的指纹，并与买家另行提供的指纹（`tousu-helper status` 显示）一致。
    The result must equal the fingerprint above and the one the buyer gives you separately.

有投诉助手时也可以一步完成 · With Tousu Helper installed, all of this in one command:
    tousu-helper verify-bundle {zip_name}

内容 · Contents: manifest.json (signed list of every file + the case manifest with capture
metadata: URLs, times, TLS, browser), manifest.json.sig, public_key.pem, SHA256SUMS,
complaint.txt (the complaint draft), report.pdf (readable report), case.json (order facts and
timeline as data), evidence/ (the original evidence files, byte-identical to the archive).
"""


def _zip_add_stream(zf: zipfile.ZipFile, arcname: str, source: Path, media_type: str,
                    expected_sha256: str | None = None) -> tuple[str, int]:
    compress = zipfile.ZIP_DEFLATED if media_type.startswith(COMPRESSIBLE) else zipfile.ZIP_STORED
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo(arcname, date_time=_zip_time())
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    with source.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    sha = digest.hexdigest()
    if expected_sha256 is not None and sha != expected_sha256:
        raise ExportError(f"{arcname}: the archived file no longer matches its recorded SHA-256 "
                          f"(now {sha[:16]}…, recorded {expected_sha256[:16]}…); it was altered on "
                          "disk — run `tousu-helper verify`")
    return sha, size


def _zip_time() -> tuple[int, int, int, int, int, int]:
    now = datetime.now()
    return (max(now.year, 1980), now.month, now.day, now.hour, now.minute, now.second)


def _zip_add_bytes(zf: zipfile.ZipFile, arcname: str, data: bytes, media_type: str) -> tuple[str, int]:
    info = zipfile.ZipInfo(arcname, date_time=_zip_time())
    info.compress_type = zipfile.ZIP_DEFLATED if media_type.startswith(COMPRESSIBLE) else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)
    return hashlib.sha256(data).hexdigest(), len(data)


async def build_bundle(store: CaseStore, secrets: Secrets, case_id: str, out_path: Path, *,
                       thumbnail: Callable[[Evidence], str | None] | None = None,
                       render: Callable[[str], Any] | None = None,
                       browser_manager: Any = None, browser_executable: str | None = None) -> ExportResult:
    """Write the bundle to `out_path` (atomically: a temp file renamed into place).

    `thumbnail(evidence)` returns a data: URI for the report, `render(html)` is an async
    HTML→PDF function (default: Playwright with `browser_manager` or a direct launch).
    """
    import time

    from helper.integrity import case_manifest, public_key_sha256
    from helper.store import CaseNotFound

    timings: dict[str, float] = {}
    t0 = time.monotonic()
    try:
        case = store.get_case(case_id)
        evidence = store.list_evidence(case_id)
    except CaseNotFound:
        raise ExportError(f"no case {case_id!r}; `tousu-helper cases` lists them") from None
    check_blobs(store, case, evidence)
    key = secrets.signing_key()
    public = key.public_key()
    fingerprint = public_key_sha256(public)
    case_man = case_manifest(store, case_id)
    draft_text, draft = latest_draft_text(store, case_id)
    exported_at = utc_now().isoformat(timespec="seconds")
    zip_name = out_path.name
    paths = evidence_paths(evidence)
    thumbs = {ev.id: (thumbnail(ev) if thumbnail else None) for ev in evidence}
    timings["prepare"] = round(time.monotonic() - t0, 3)

    t1 = time.monotonic()
    report_html = render_report_html(case, evidence, paths, thumbs, draft_text, draft,
                                     fingerprint, exported_at)
    if render is not None:
        pdf = await render(report_html)
    else:
        pdf = await html_to_pdf(report_html, manager=browser_manager, executable=browser_executable)
    timings["report_pdf"] = round(time.monotonic() - t1, 3)

    t2 = time.monotonic()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out_path.parent, prefix=".export-", suffix=".zip")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        files = await asyncio.to_thread(
            _write_zip, tmp, store, case, evidence, paths, case_man, draft_text, pdf,
            _verify_text(case, fingerprint, exported_at, zip_name), key, fingerprint, exported_at)
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    timings["zip"] = round(time.monotonic() - t2, 3)
    return ExportResult(path=out_path, case_id=case.id, order_id=case.order.order_id, files=files,
                        size=out_path.stat().st_size, seconds=timings)


def _write_zip(tmp: Path, store: CaseStore, case: Case, evidence: list[Evidence],
               paths: dict[tuple[str, str], str], case_man: dict[str, Any], draft_text: str | None,
               pdf: bytes, verify_txt: str, key: Any, fingerprint: str, exported_at: str) -> int:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from helper.integrity import sign_manifest

    entries: list[dict[str, Any]] = []
    with zipfile.ZipFile(tmp, "w", allowZip64=True, compresslevel=6) as zf:
        for ev in evidence:
            for a in ev.artifacts:
                arc = paths[(ev.id, a.role)]
                sha, size = _zip_add_stream(zf, arc, store.blobs.path(a.sha256), a.media_type,
                                            expected_sha256=a.sha256)
                entries.append({"path": arc, "sha256": sha, "size": size, "media_type": a.media_type,
                                "evidence_id": ev.id, "role": a.role, "original_filename": a.filename})
        case_json = json.dumps({"case_id": case.id, "status": case.status.value, "notes": case.notes,
                                "order": case.order.model_dump(mode="json", exclude_none=True),
                                "timeline": [t.model_dump(mode="json") for t in case.timeline]},
                               ensure_ascii=False, indent=2).encode()
        extras = [
            ("complaint.txt", (draft_text if draft_text else NO_DRAFT).encode(), "text/plain"),
            ("report.pdf", pdf, "application/pdf"),
            ("case.json", case_json, "application/json"),
            ("VERIFY.txt", verify_txt.encode(), "text/plain"),
        ]
        for name, data, media in extras:
            sha, size = _zip_add_bytes(zf, name, data, media)
            entries.append({"path": name, "sha256": sha, "size": size, "media_type": media})
        sums = "".join(f"{e['sha256']}  {e['path']}\n" for e in entries).encode()
        sha, size = _zip_add_bytes(zf, SUMS, sums, "text/plain")
        entries.append({"path": SUMS, "sha256": sha, "size": size, "media_type": "text/plain"})
        manifest = {
            "format": BUNDLE_FORMAT,
            "exported_at": exported_at,
            "generator": f"tousu-helper {__version__}",
            "case_id": case.id,
            "order_id": case.order.order_id,
            "public_key_sha256": fingerprint,
            "has_draft": draft_text is not None,
            "files": entries,
            "case_manifest": case_man,
        }
        raw = canonical_json(manifest)
        signature = sign_manifest(manifest, key)
        _zip_add_bytes(zf, MANIFEST, raw, "application/json")
        _zip_add_bytes(zf, SIGNATURE, signature, "application/octet-stream")
        _zip_add_bytes(zf, PUBLIC_KEY, key.public_key().public_bytes(
            Encoding.PEM, PublicFormat.SubjectPublicKeyInfo), "text/plain")
    return len(entries) + 3


def export_case(store: CaseStore, secrets: Secrets, case_id: str, out_path: Path, *,
                settings: Settings | None = None) -> ExportResult:
    """The CLI's entry point: a synchronous export with its own browser for the PDF."""
    thumbs = None
    executable = None
    if settings is not None:
        from helper.thumbnails import Thumbnails

        thumbs = Thumbnails(settings.data_dir / "thumbs", store.blobs)
        executable = _find_browser(settings)
    return asyncio.run(build_bundle(store, secrets, case_id, out_path,
                                    thumbnail=_thumbnail_fn(thumbs) if thumbs else None,
                                    browser_executable=executable))


def _thumbnail_fn(thumbs: Any) -> Callable[[Evidence], str | None]:
    from helper.thumbnails import source_artifact

    def thumbnail(ev: Evidence) -> str | None:
        artifact = source_artifact(ev)
        if artifact is None:
            return None
        path = thumbs.cached_path(artifact.sha256)
        if not path.is_file():
            path = thumbs.generate(artifact.sha256)
        return thumbs.read_data_uri(path) if path else None

    return thumbnail


def _find_browser(settings: Settings) -> str | None:
    try:
        from helper.capture.browser import find_browser

        return find_browser(settings.capture)
    except Exception:  # noqa: BLE001 - fall back to PATH below
        return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


# -- the report ---------------------------------------------------------------------------------

REPORT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  font-size: 10.5pt; color: #1d2939; line-height: 1.5; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 16pt 0 6pt;
  border-bottom: 1px solid #d0d5dd; padding-bottom: 2pt; }
.muted { color: #667085; } .mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
table { width: 100%; border-collapse: collapse; } td, th { border: 1px solid #e4e7ec; padding: 3pt 5pt;
  vertical-align: top; text-align: left; } th { background: #f2f4f7; width: 24%; }
.draft { white-space: pre-wrap; border: 1px solid #d0d5dd; padding: 8pt; border-radius: 4pt; }
.ev { page-break-inside: avoid; border: 1px solid #d0d5dd; border-radius: 4pt; padding: 6pt; margin: 0 0 8pt;
  display: flex; gap: 8pt; } .ev img { width: 120pt; height: 90pt; object-fit: cover; object-position: top;
  border: 1px solid #e4e7ec; flex: none; } .ev .body { flex: 1; min-width: 0; }
.timeline td:first-child { width: 28%; white-space: nowrap; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _bj(dt: Any) -> str:
    if dt is None:
        return ""
    if isinstance(dt, str):
        try:
            dt = datetime.fromisoformat(dt)
        except ValueError:
            return dt
    from helper.models import CHINA_TZ

    return dt.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


def render_report_html(case: Case, evidence: list[Evidence], paths: dict[tuple[str, str], str],
                       thumbs: dict[str, str | None], draft_text: str | None, draft: dict[str, Any],
                       fingerprint: str, exported_at: str) -> str:
    """Every value is HTML-escaped; the page runs with JavaScript off and no network."""
    o = case.order
    platform = {"taobao": "淘宝 Taobao", "tmall": "天猫 Tmall"}.get(o.platform.value, o.platform.value)
    facts = [("订单号 Order id", o.order_id), ("平台 Platform", platform),
             ("店铺 Shop", o.shop_name), ("卖家 Seller", o.seller_nick),
             ("订单状态 Order status", o.status_text),
             ("实付 Amount paid", f"¥{o.actual_fee}" if o.actual_fee else None),
             ("下单 Created", _bj(o.created_at)), ("付款 Paid", _bj(o.paid_at)),
             ("发货 Shipped", _bj(o.shipped_at)), ("收货 Received", _bj(o.received_at)),
             ("物流 Logistics", " ".join(x for x in [o.logistics.company, o.logistics.tracking_no] if x)
              if o.logistics else None),
             ("订单详情 Detail URL", o.detail_url)]
    items = "".join(
        f"<tr><td>{_e(it.title)}<br><span class=muted>{_e(it.sku)}</span></td>"
        f"<td class=mono>{_e(it.sub_order_id)}</td><td>{_e(it.unit_price and '¥' + it.unit_price)} × {it.quantity}</td></tr>"
        for it in o.items)
    timeline = "".join(f"<tr><td>{_e(_bj(t.at))}</td><td>{_e(t.text)}</td></tr>" for t in case.timeline)
    ev_blocks = []
    for n, ev in enumerate(evidence, start=1):
        m = ev.metadata or {}
        thumb = thumbs.get(ev.id)
        img = f'<img src="{_e(thumb)}" alt="">' if thumb and thumb.startswith("data:image/") else ""
        rows = "".join(
            f"<tr><td>{_e(a.role)}</td><td class=mono>{_e(paths[(ev.id, a.role)])}<br>{_e(a.sha256)}</td>"
            f"<td>{a.size:,} B</td></tr>" for a in ev.artifacts)
        url = m.get("final_url") or m.get("url") or m.get("requested_url")
        ev_blocks.append(
            f"<div class=ev>{img}<div class=body><strong>{n}. {_e(ev.title)}</strong><br>"
            f"<span class=muted>{_e(ev.kind.value)} · {_e(ev.category.value)} · {_e(_bj(ev.created_at))}"
            f" · {_e(ev.id)}</span>"
            + (f"<br><span class=mono>{_e(url)}</span>" if url else "")
            + f"<table>{rows}</table></div></div>")
    draft_html = (f"<div class=draft>{_e(draft_text)}</div>" if draft_text
                  else "<p class=muted>尚无投诉草稿 · no complaint draft yet</p>")
    title = f"投诉证据报告 · 订单 {o.order_id}"
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{_e(title)}</title><style>{REPORT_CSS}</style></head><body>
<h1>投诉证据报告 · Complaint evidence report</h1>
<p class=muted>案件 {_e(case.id)} · 导出 {_e(_bj(exported_at))}（北京时间）· tousu-helper {_e(__version__)}<br>
签名公钥指纹 Signing key: <span class=mono>{_e(fingerprint)}</span></p>
<h2>订单信息 · Order</h2>
<table>{"".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts if v)}</table>
{f"<h2>商品 · Items</h2><table>{items}</table>" if items else ""}
<h2>时间线 · Timeline</h2><table class=timeline>{timeline}</table>
<h2>投诉草稿 · Complaint draft</h2>{draft_html}
<h2>证据清单 · Evidence ({len(evidence)})</h2>
{"".join(ev_blocks) or "<p class=muted>没有证据 · no evidence</p>"}
<h2>如何校验 · How to verify</h2>
<p>每个文件的 SHA-256 列在已签名的 manifest.json 中；按 VERIFY.txt 的步骤用 sha256sum 与 openssl 校验。
Every file's SHA-256 is listed in the signed manifest.json; follow VERIFY.txt to check with sha256sum and openssl.</p>
</body></html>"""


async def html_to_pdf(report_html: str, *, manager: Any = None, executable: str | None = None) -> bytes:
    """Render with Chromium: JavaScript off, every network request refused."""
    if manager is not None:
        context = await manager.new_context(java_script_enabled=False, offline=True)
        try:
            return await _pdf_in(context, report_html)
        finally:
            await context.close()
    from playwright.async_api import async_playwright  # lazy: never at daemon start-up

    args = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-gpu", "--disable-extensions"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True, args=args)
        try:
            context = await browser.new_context(java_script_enabled=False, offline=True)
            return await _pdf_in(context, report_html)
        finally:
            await browser.close()


async def _pdf_in(context: Any, report_html: str) -> bytes:
    async def refuse(route: Any) -> None:
        await route.abort()

    await context.route("**/*", refuse)
    page = await context.new_page()
    await page.set_content(report_html, wait_until="load")
    return await page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                          display_header_footer=True, header_template="<span></span>",
                          footer_template='<div style="font-size:7pt;width:100%;text-align:center;color:#667085">'
                                          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
                          margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"})


# -- checking -------------------------------------------------------------------------------------

def verify_bundle(path: Path) -> BundleCheck:
    """Check a bundle with nothing but its own contents: signature, every hash, no extras."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from helper.integrity import public_key_sha256, verify_signature

    report = BundleCheck(ok=False)
    problems = report.problems
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        problems.append(f"{path}: not a readable ZIP file ({exc})")
        return report
    with zf:
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
        for info in zf.infolist():
            name = info.filename
            if name.startswith("/") or ".." in PurePosixPath(name).parts or "\\" in name:
                problems.append(f"{name}: unsafe path in the bundle")
            mode = info.external_attr >> 16
            if mode and not info.is_dir() and (mode & 0o170000) not in (0, 0o100000):
                problems.append(f"{name}: not a regular file (a link or device) in the bundle")
        for name in sorted(n for n, count in Counter(names).items() if count > 1):
            problems.append(f"{name}: appears more than once in the ZIP (unzip tools may pick "
                            "a different copy than the one checked)")
        for required in UNLISTED:
            if required not in names:
                problems.append(f"{required} is missing from the bundle")
        if problems:
            return report
        try:
            raw = zf.read(MANIFEST)
            signature = zf.read(SIGNATURE)
            pem = zf.read(PUBLIC_KEY)
        except (zipfile.BadZipFile, OSError) as exc:
            problems.append(f"{MANIFEST}/{SIGNATURE}/{PUBLIC_KEY}: corrupted in the ZIP ({exc})")
            return report
        try:
            public = load_pem_public_key(pem)
            if not isinstance(public, Ed25519PublicKey):
                raise ValueError("not an Ed25519 key")
        except ValueError as exc:
            problems.append(f"{PUBLIC_KEY}: not an Ed25519 public key ({exc})")
            return report
        report.public_key_sha256 = public_key_sha256(public)
        try:
            manifest = json.loads(raw)
            if not isinstance(manifest, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            problems.append(f"{MANIFEST}: not valid JSON ({exc})")
            return report
        if canonical_json(manifest) != raw:
            problems.append(f"{MANIFEST}: not in canonical form — it was edited after export")
        if not verify_signature(manifest, signature, public):
            problems.append(f"{SIGNATURE}: the Ed25519 signature does not match {MANIFEST} — the "
                            "manifest was changed after signing, or signed with another key")
        report.case_id = manifest.get("case_id")
        report.order_id = manifest.get("order_id")
        if manifest.get("public_key_sha256") not in (None, report.public_key_sha256):
            problems.append(f"{PUBLIC_KEY}: its fingerprint differs from the one in {MANIFEST}")
        listed: dict[str, dict[str, Any]] = {}
        for entry in manifest.get("files", []):
            listed[entry.get("path", "")] = entry
        for name in names:
            if name not in listed and name not in UNLISTED:
                problems.append(f"{name}: in the ZIP but not listed in {MANIFEST} (added later)")
        for name, entry in listed.items():
            if name not in names:
                problems.append(f"{name}: listed in {MANIFEST} but missing from the ZIP")
                continue
            digest, size = hashlib.sha256(), 0
            try:
                with zf.open(name) as fh:
                    while chunk := fh.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                problems.append(f"{name}: corrupted in the ZIP ({exc})")
                continue
            report.files_checked += 1
            if digest.hexdigest() != entry.get("sha256") or size != entry.get("size"):
                problems.append(f"{name}: SHA-256 {digest.hexdigest()[:16]}… ({size} bytes) does not "
                                f"match the manifest's {str(entry.get('sha256'))[:16]}… "
                                f"({entry.get('size')} bytes) — the file was altered")
        problems.extend(_check_sums(zf, listed))
        problems.extend(_check_case_manifest(manifest, listed))
    report.ok = not problems
    return report


def _check_sums(zf: zipfile.ZipFile, listed: dict[str, dict[str, Any]]) -> list[str]:
    if SUMS not in listed:
        return [f"{SUMS} is not listed in {MANIFEST}"]
    try:
        lines = zf.read(SUMS).decode().splitlines()
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, KeyError):
        return []  # already reported as corrupted or missing
    out = []
    seen = set()
    for line in lines:
        sha, _, name = line.partition("  ")
        seen.add(name)
        if name not in listed or listed[name].get("sha256") != sha:
            out.append(f"{SUMS}: the line for {name!r} disagrees with {MANIFEST}")
    for name in listed:
        if name != SUMS and name not in seen:
            out.append(f"{SUMS}: {name!r} is missing")
    return out


def _check_case_manifest(manifest: dict[str, Any], listed: dict[str, dict[str, Any]]) -> list[str]:
    """Every artifact the case manifest names must be in the bundle with the same hash."""
    out = []
    by_item = {(e.get("evidence_id"), e.get("role")): e for e in listed.values() if e.get("evidence_id")}
    for ev in (manifest.get("case_manifest") or {}).get("evidence", []):
        for a in ev.get("artifacts", []):
            entry = by_item.get((ev.get("id"), a.get("role")))
            if entry is None:
                out.append(f"evidence {ev.get('id')}/{a.get('role')}: in the case manifest but not in the bundle")
            elif entry.get("sha256") != a.get("sha256"):
                out.append(f"evidence {ev.get('id')}/{a.get('role')}: bundle file hash differs from the case manifest")
    return out
