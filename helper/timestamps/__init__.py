"""RFC 3161 trusted timestamps: a time-stamping authority (TSA) signs "this SHA-256 existed
at this time", so a capture's date no longer rests on the buyer's own clock and key.

Only a SHA-256 leaves the machine, only when the buyer agreed (`[evidence] timestamps`),
and only to the authorities in `[evidence] tsa_urls`, tried in order with a timeout
each. The modules:

* `client.py` asks the authorities (pyHanko's RFC 3161 client over aiohttp) and accepts
  a token only after checking it: granted, our nonce, our hash, a valid signature by a
  certificate that chains to a trusted root (`trust.py`: the system's roots plus
  `tsa_ca_file`). Anything else is a `NotStamped` that says why, per authority.
* `tokens.py` checks a stored token again, for `verify` and `verify-bundle`: imprint,
  signature, chain to the TSA certificate kept with it, and its time against the time
  the helper claims (captured, or signed), within `clock_tolerance_s`.
* `stamping.py` does it for the archive: a capture's first committed hash (kept as the
  evidence's `timestamp` and `timestamp_chain` artifacts, so the audit log, the signed
  manifest and the export carry them) and each sealed case manifest (kept with the
  manifest).

pyHanko (asn1crypto and pyhanko-certvalidator underneath) parses tokens as real
authorities write them: OpenSSL's `ts -reply`, for one, encodes the certificate set
unsorted, which strict-DER parsers (rfc3161-client) refuse.
"""

from helper.timestamps.client import NotStamped, Stamp, TsaClient
from helper.timestamps.tokens import TokenCheck, check_token, check_token_sync

__all__ = ["NotStamped", "Stamp", "TokenCheck", "TsaClient", "check_token", "check_token_sync"]
