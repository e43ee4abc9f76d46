"""Case integrity: the signed case manifest and the check that names what was tampered with.

Three independent records back each other up:

* the **blobs**, named by their SHA-256 — re-hashing a file shows whether a byte changed;
* the **audit log**, a hash chain in which every `evidence_added` / `artifacts_added`
  entry lists each artifact's hash and the capture metadata's hash — so the log alone
  says which evidence *should* exist and what it should contain;
* the **signed manifest** of each case (every evidence item, its artifacts' hashes and
  capture metadata, and the case's audit-chain head), Ed25519 over canonical JSON with the
  key from the keyring. Anyone can rebuild a consistent audit chain without a secret; no
  one can sign a manifest without the key, so the manifest pins the chain and the hashes.

`verify_case` re-derives each record from the others and reports every disagreement as
`altered`, `missing`, `added`, `chain` or `signature`, naming the evidence id and role,
the audit sequence number, or the manifest. It also compares every fact an export
carries (order fields, status, notes, timeline, evidence titles, drafts) with the digest
the last audited write recorded (helper/store/facts.py), so a row edited directly in
SQLite is named too, and checks every RFC 3161 token (helper/timestamps/): a capture's
first hash and the manifest, each against the hash it covers, the TSA chain kept with
it, and the clock (`timestamp` problems). It never writes. `seal_case` signs a fresh
manifest (the capture service calls it after each commit; `tousu-helper verify --seal`
does it for a case whose evidence came in another way, after checking it).

The export bundle uses `case_manifest`, `sign_manifest` and `verify_signature` directly.
"""

from helper.integrity.manifest import (
           case_manifest,
           public_key_sha256,
           seal_case,
           sign_manifest,
           verify_signature,
)
from helper.integrity.verify import claimed_time, verify_all, verify_case

__all__ = ["case_manifest", "claimed_time", "public_key_sha256", "seal_case", "sign_manifest",
           "verify_all", "verify_case", "verify_signature"]
