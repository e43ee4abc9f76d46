"""The signed export bundle (a ZIP anyone can check without this software) and its checker.

Layout of `tousu-<order_id>.zip` (names in layout.py):

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

VERIFY.txt, complaint.txt and report.pdf (on the page and in its title) print the signing
key's fingerprint. The modules: write.py builds the bundle (zipwriter.py, texts.py,
report.py, pdf.py), verify.py checks one (safezip.py bounds every read, manifest.py is
the manifest's shape, signer.py the key comparisons).
"""

from helper.bundle.signer import local_fingerprint, parse_key
from helper.bundle.verify import verify_bundle
from helper.bundle.write import ExportError, ExportResult, build_bundle, export_case

__all__ = ["ExportError", "ExportResult", "build_bundle", "export_case", "local_fingerprint",
           "parse_key", "verify_bundle"]
