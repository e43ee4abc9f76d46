"""What `tousu-helper verify-bundle` prints: the verdict, then whose key signed the bundle
and what that key was compared with, Chinese first, English after."""

from __future__ import annotations

import unicodedata

from helper.models import BundleCheck, KeyComparison

SOURCES = {
    "key_option": "--key 给出的公钥 · the key given with --key",
    "local_key": "本机投诉助手的密钥 · this computer's helper key",
    "report.pdf": "report.pdf 中印的指纹 · the fingerprint printed in report.pdf",
    "complaint.txt": "complaint.txt 中印的指纹 · the fingerprint printed in complaint.txt",
    "VERIFY.txt": "VERIFY.txt 中印的指纹 · the fingerprint printed in VERIFY.txt",
}
UNVERIFIED = """签名者未核实 · SIGNER UNVERIFIED
  签名只能证明文件自签名以来未被改动，不能证明是谁签的：任何人都能改动证据包后用自己的密钥重新签名。
  请向买家另行索取 `tousu-helper status` 显示的指纹，再运行：tousu-helper verify-bundle {bundle} --key 指纹
  A signature proves only that nothing changed since this key signed; anyone can edit a bundle
  and re-sign it with a key of their own. Ask the buyer separately for the fingerprint
  `tousu-helper status` shows, then run: tousu-helper verify-bundle {bundle} --key FINGERPRINT"""


def _pad(text: str, width: int = 18) -> str:
    """Left-justify by terminal columns (a CJK character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - columns)


def _comparison(check: KeyComparison) -> str:
    if check.matches is None:
        state, detail = "未注明 none", ""
    elif check.matches:
        state, detail = "一致 match", ""
    else:
        state, detail = "不一致 MISMATCH", f": sha256:{check.fingerprint}"
    return f"  {_pad(state)}{SOURCES[check.source]}{detail}"


def _timestamps(report: BundleCheck) -> list[str]:
    """Each token: valid or not, when, by which TSA, and the root fingerprint to compare."""
    if report.manifest_timestamp is None and not report.timestamps:
        return []
    lines = [f"可信时间戳 · trusted timestamps (RFC 3161): {len(report.timestamps)}"]
    if report.manifest_timestamp:
        lines.append(f"  案件清单 · sealed case manifest: {report.manifest_timestamp}")
    for stamp in report.timestamps:
        state = "有效 OK" if stamp.ok else "无效 FAILED"
        when = f"{stamp.gen_time:%Y-%m-%d %H:%M:%S} UTC" if stamp.gen_time else "?"
        lines.append(f"  {_pad(state)}{stamp.covers} — {when} · {stamp.tsa or '?'}")
        if stamp.tsa_root_sha256:
            lines.append(f"  {_pad('')}TSA 根证书 · root sha256:{stamp.tsa_root_sha256}")
    return lines


def explain(report: BundleCheck, bundle: str) -> list[str]:
    if report.ok and report.format == "wacz":
        return [f"OK: {report.files_checked} 个文件与 datapackage.json 一致（WACZ 网页存档，未签名；签名证据是 ZIP 证据包）· "
                f"{report.files_checked} files match datapackage.json (a WACZ for replay, not signed: "
                "the signed evidence is the ZIP bundle)"]
    if report.ok:
        lines = [f"OK: {report.files_checked} 个文件与 manifest.json 及其 Ed25519 签名一致 · "
                 f"{report.files_checked} files match manifest.json and its Ed25519 signature "
                 f"(case {report.case_id}, order {report.order_id})"]
    else:
        lines = [f"FAILED: 校验失败 · {bundle}"]
        lines += [f"  - {problem}" for problem in report.problems]
        if report.problems_total > len(report.problems):
            more = report.problems_total - len(report.problems)
            lines.append(f"  … 还有 {more} 个问题 · and {more} more")
    lines += _timestamps(report)
    if report.anchor_matches:
        lines.append("证据锚点一致：投诉中记录的校验值就是本证据包的案件清单 · the complaint's evidence anchor "
                     "matches this bundle's sealed case manifest")
    if report.public_key_sha256 is None:
        return lines
    if report.signature_valid:
        lines.append(f"签名公钥 · signed by: sha256:{report.public_key_sha256}")
    else:
        lines.append(f"证据包中的公钥（签名无效）· public key in the bundle (the signature is not valid): "
                     f"sha256:{report.public_key_sha256}")
    lines += [_comparison(c) for c in report.key_checks]
    anchors = [c for c in report.key_checks if c.source in ("key_option", "local_key")]
    if not anchors:
        lines.append(f"  {_pad('未提供 none')}没有 --key，本机也没有投诉助手密钥 · "
                     "no --key given, no helper key on this computer")
    if report.signer_verified:
        anchor = next(c for c in anchors if c.matches)
        lines.append(f"签名者已核实 · signer verified: {SOURCES[anchor.source]}")
    elif report.ok:
        lines.append(UNVERIFIED.format(bundle=bundle))
    return lines
