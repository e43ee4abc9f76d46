"""The bundle's fixed names and the fingerprint line, shared by the writer and the checker.

Both sides import these, so a file the writer adds under a new name cannot be missed by
the checker, and the fingerprint the export prints is the one the check reads back.
"""

from __future__ import annotations

import re

BUNDLE_FORMAT = "tousu-helper/bundle/1"
MANIFEST, SIGNATURE, PUBLIC_KEY, SUMS = "manifest.json", "manifest.json.sig", "public_key.pem", "SHA256SUMS"
COMPLAINT, REPORT, CASE_JSON, VERIFY = "complaint.txt", "report.pdf", "case.json", "VERIFY.txt"
REPORT_SIGNER = "report-signer.pem"
"""The self-signed certificate of the case key that signs report.pdf (PAdES)."""
SEALED_MANIFEST = "sealed/case-manifest.json"
"""The case manifest exactly as the helper sealed it (and, when asked, had timestamped)."""
SEALED_TOKEN, SEALED_CHAIN = f"{SEALED_MANIFEST}.tsr", "sealed/tsa-chain.pem"
UNLISTED = (MANIFEST, SIGNATURE, PUBLIC_KEY)
"""The only files the manifest cannot list: itself, its signature, and the key that checks it."""
CHUNK = 1 << 20

FINGERPRINT_LABEL = "签名公钥指纹 Signing key fingerprint (SHA-256 of the raw Ed25519 public key):"
"""complaint.txt and VERIFY.txt print the fingerprint on the line after this label."""
FINGERPRINT_AFTER_LABEL = re.compile(re.escape(FINGERPRINT_LABEL) + r"\s*\n\s*(?:sha256:)?([0-9a-f]{64})\s*$",
                                     re.MULTILINE)
REPORT_TITLE_KEY = "sha256:"
"""report.pdf's title (its PDF metadata) ends in `sha256:<fingerprint>`."""
TITLE_FINGERPRINT = re.compile(re.escape(REPORT_TITLE_KEY) + r"([0-9a-f]{64})\s*$")


def printed_fingerprint(text: str) -> str | None:
    """The fingerprint printed after FINGERPRINT_LABEL (the last one, if a draft quotes one)."""
    found = FINGERPRINT_AFTER_LABEL.findall(text)
    return found[-1] if found else None


def fingerprint_block(fingerprint: str) -> str:
    return f"{FINGERPRINT_LABEL}\n  {fingerprint}\n"


# -- what a bundle may hold --------------------------------------------------------------
# The checker reads bundles from anyone. These bounds keep its memory and time in
# proportion to a real case (uploads are at most 4 GiB, a case has tens of items), and the
# writer refuses a case that would exceed them, so every export passes its own check.

MiB = 1 << 20
MAX_ENTRIES = 10_000
MAX_NAME_BYTES = 512
MAX_CENTRAL_DIRECTORY = 8 * MiB
MAX_ENTRY_BYTES = 8 * 1024 * MiB
MAX_TOTAL_BYTES = 64 * 1024 * MiB
MAX_MANIFEST_BYTES = 16 * MiB
MAX_JSON_DEPTH = 64
MAX_JSON_VALUES = 1_000_000
MAX_SUMS_BYTES = MAX_ENTRIES * (64 + 2 + MAX_NAME_BYTES + 1)
MAX_TEXT_BYTES = 8 * MiB
"""complaint.txt and VERIFY.txt, read whole to find the fingerprint they print."""
MAX_SEEK_INFLATE = 64 * MiB
"""A compressed report.pdf larger than this is not searched for its title."""
MAX_KEY_BYTES = 16 * 1024
SIGNATURE_BYTES = 64
MAX_TOKEN_BYTES = 256 * 1024
"""An RFC 3161 response or a TSA chain: a few kilobytes; more is not one."""
MAX_PROBLEMS = 50
"""Problems listed one by one; the rest are counted ("and N more")."""
