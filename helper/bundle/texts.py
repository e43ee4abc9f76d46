"""The bundle's plain-text files: complaint.txt (the latest draft) and VERIFY.txt.

Both print the signing key's fingerprint (layout.fingerprint_block), so a reader — and
`verify-bundle` — can hold the key that signed the bundle against the key the buyer's
own documents name. VERIFY.txt also gives the `openssl ts -verify` command for each
trusted timestamp the bundle carries (or says why it carries none).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from helper.bundle.layout import fingerprint_block
from helper.models import CHINA_TZ, Case

if TYPE_CHECKING:
    from helper.bundle.stamps import ExportStamps
    from helper.store import Store

NO_DRAFT = ("（尚无投诉草稿）\n"
            "这个案件还没有生成投诉草稿。请在浏览器扩展的投诉助手面板中选择投诉类型和诉求后生成草稿，"
            "再重新导出。\n\n"
            "(No complaint draft yet.) This case has no draft. Generate one from the 投诉助手 panel "
            "of the browser extension (choose the complaint type and your demand), then export again.\n")


def beijing_time(dt: Any) -> str:
    """A datetime or ISO string as Beijing wall time; other strings pass through."""
    if dt is None:
        return ""
    if isinstance(dt, str):
        try:
            dt = datetime.fromisoformat(dt)
        except ValueError:
            return dt
    return dt.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


async def latest_draft_text(store: Store, case_id: str) -> tuple[str | None, dict[str, Any]]:
    """The latest stored draft (helper/complaint) — its full text and the version cut to
    the platform form's limit — or None when the case has no draft."""
    found = await store.drafts.get(case_id)
    if found is None:
        return None, {}
    draft = found[1].model_dump(mode="json")
    text = draft.get("text") or ""
    if not text.strip():
        return None, draft
    parts = [f"{draft.get('title') or '投诉'}（第 {draft.get('version')} 版，生成于 "
             f"{beijing_time(draft.get('generated_at'))}）", "", text.rstrip()]
    form_text = draft.get("form_text")
    if form_text and form_text.strip() != text.strip():
        parts += ["", f"—— 平台表单版（不超过 {draft.get('form_limit')} 字）· form version ——", "",
                  form_text.rstrip()]
    return "\n".join(parts) + "\n", draft


def complaint_txt(draft_text: str | None, fingerprint: str) -> str:
    """The draft (or the no-draft note), then the key that signs the bundle it travels in."""
    return f"{draft_text or NO_DRAFT}\n——\n{fingerprint_block(fingerprint)}"


def timestamp_step(stamps: ExportStamps) -> str:
    """Step 6 of VERIFY.txt: the RFC 3161 tokens, checked with OpenSSL alone."""
    head = "第 6 步 · Step 6 — 校验可信时间戳 · Check the RFC 3161 trusted timestamps (OpenSSL)\n"
    commands = stamps.commands
    if not commands:
        sealed = stamps.section.get("case_manifest") or {}
        why = sealed.get("reason") or "没有申请 · none was asked for (the buyer did not agree, or no authority answered)"
        return (head + f"    这个证据包没有可信时间戳 · this bundle carries no trusted timestamp: {why}\n"
                "    时间只由买家电脑的时钟和签名证明 · its times rest on the buyer's clock and key alone.\n")
    lines = [head]
    for token, data, chain in commands:
        lines.append(f"    openssl ts -verify -in {token} -data {data} -CAfile {chain}\n")
    first_chain = commands[0][2]
    lines.append(
        "    每条都必须输出 · each must print: Verification: OK\n"
        "    时间戳由时间戳服务机构（TSA）签名，证明该文件的 SHA-256 在其时间已存在；再核对 TSA 的证书：\n"
        "    A TSA signed that the file's SHA-256 existed at its time; then check whose certificate it is:\n"
        f"    openssl x509 -in {first_chain} -noout -subject -issuer -fingerprint -sha256\n"
        "    证书应是该机构公布的证书（如联合信任、DigiCert）· it must be the authority's published one\n"
        "    (e.g. 联合信任时间戳服务中心, DigiCert). `openssl ts -reply -in TOKEN -text` shows its time.\n")
    return "".join(lines)


def verify_txt(case: Case, fingerprint: str, exported_at: str, zip_name: str, stamps: ExportStamps) -> str:
    return f"""投诉助手 证据包 · Tousu Helper evidence bundle
=============================================

案件 Case:        {case.id}
订单号 Order id:  {case.order.order_id} ({case.order.platform.value})
导出时间 Exported: {exported_at} (UTC)
{fingerprint_block(fingerprint)}
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
    签名只能证明"自签名以来未被改动"；是谁的密钥，要靠这个指纹核对。
    The result must equal the fingerprint above and the one the buyer gives you separately
    (`tousu-helper status` shows it). A signature proves only "unchanged since this key
    signed it"; whose key it is, only this comparison tells.

{timestamp_step(stamps)}
第 7 步 · Step 7 — report.pdf 的签名 · report.pdf's own signature (PAdES)
    report.pdf 用同一把 Ed25519 密钥签名；证书 report-signer.pem 是这把密钥的自签名证书。
    在 PDF 阅读器中信任 report-signer.pem 后，签名显示为有效（阅读器需支持 EdDSA）。
    report.pdf is signed (PAdES) with the same Ed25519 key; report-signer.pem is that key's
    self-signed certificate. Trust it in a PDF reader (one that supports EdDSA) to see the
    signature as valid, or: pip install pyhanko-cli &&
    pyhanko sign validate --trust report-signer.pem --pretty-print report.pdf

有投诉助手时也可以一步完成 · With Tousu Helper installed, all of this in one command:
    tousu-helper verify-bundle {zip_name} --key <买家提供的指纹 the buyer's fingerprint>

内容 · Contents: manifest.json (signed list of every file + the case manifest with capture
metadata: URLs, times, TLS, browser), manifest.json.sig, public_key.pem, SHA256SUMS,
complaint.txt (the complaint draft), report.pdf (readable report), case.json (order facts and
timeline as data), evidence/ (the original evidence files, byte-identical to the archive),
sealed/ (the case manifest as sealed and signed, with its timestamp token and TSA chain),
report-signer.pem (the certificate report.pdf's PAdES signature names).
"""
