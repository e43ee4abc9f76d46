"""A local RFC 3161 time-stamping authority for tests, on loopback.

A test CA and a TSA certificate (critical extended key usage `timeStamping`, as RFC 3161
§2.3 demands) are made here with `cryptography`; tokens are issued by OpenSSL's own
`openssl ts -reply` — an implementation independent of the helper's client, so a test
shows the two interoperate. The handler can also misbehave the ways a real TSA does:
be slow, answer garbage, answer for another hash, sign with a certificate that chains
to no trusted root, or run a clock that is off (that one is issued by pyHanko's test
responder, which takes a fixed time — OpenSSL always uses the system clock — and signs
with RSA only, hence RSA keys here).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OPENSSL_TSA_CONFIG = """
[ tsa ]
default_tsa = test_tsa
[ test_tsa ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/chain.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@dataclass
class Authority:
    """A CA and the TSA certificate it issued, written where `openssl ts` reads them."""

    directory: Path
    ca_cert: x509.Certificate
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey

    @property
    def ca_pem(self) -> bytes:
        return self.ca_cert.public_bytes(serialization.Encoding.PEM)

    @property
    def ca_file(self) -> Path:
        return self.directory / "ca.pem"


def make_authority(directory: Path, name: str = "Tousu Test TSA") -> Authority:
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} Root CA")])
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=3650)).not_valid_after(now + dt.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                            content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False,
                                            encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
               .sign(ca_key, hashes.SHA256()))
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tousu tests")]))
                .issuer_name(ca_name).public_key(tsa_key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=3650)).not_valid_after(now + dt.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                             key_cert_sign=False, crl_sign=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False,
                                             encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                               critical=False)
                .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (directory / "chain.pem").write_bytes(ca_cert.public_bytes(pem))
    (directory / "tsa.pem").write_bytes(tsa_cert.public_bytes(pem))
    (directory / "tsa.key").write_bytes(tsa_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (directory / "serial").write_text("01\n")
    (directory / "tsa.cnf").write_text(OPENSSL_TSA_CONFIG.format(dir=directory))
    return Authority(directory, ca_cert, tsa_cert, tsa_key)


def openssl_reply(authority: Authority, query: bytes) -> bytes:
    """`openssl ts -reply` for one DER TimeStampReq: the TimeStampResp it issues."""
    with tempfile.TemporaryDirectory() as tmp:
        req, out = Path(tmp) / "q.tsq", Path(tmp) / "r.tsr"
        req.write_bytes(query)
        subprocess.run(["openssl", "ts", "-reply", "-config", str(authority.directory / "tsa.cnf"),
                        "-queryfile", str(req), "-out", str(out)],
                       check=True, capture_output=True, timeout=30)
        return out.read_bytes()


def other_hash(query: bytes) -> bytes:
    """The same request (nonce included) for another digest: what a TSA answering for the
    wrong data returns."""
    req = tsp.TimeStampReq.load(query)
    imprint = req["message_imprint"]
    wrong = bytes(b ^ 0xFF for b in imprint["hashed_message"].native)
    changed = tsp.TimeStampReq({
        "version": req["version"].native,
        "message_imprint": {"hash_algorithm": imprint["hash_algorithm"], "hashed_message": wrong},
        "nonce": req["nonce"], "cert_req": True})
    return changed.dump()


@dataclass
class LocalTsa:
    """The TSA's HTTP endpoint: `mode` says how it answers the next requests."""

    authority: Authority
    rogue: Authority
    """A second CA, trusted by no one: `mode = "untrusted"` signs with its TSA certificate."""
    mode: str = "ok"
    skew: dt.timedelta = dt.timedelta(0)
    delay_s: float = 0.0
    requests: list[bytes] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tsr"

    async def _handle(self, request: web.Request) -> web.Response:
        query = await request.read()
        self.requests.append(query)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        reply = "application/timestamp-reply"
        if self.mode == "garbage":
            return web.Response(body=b"<html>504 gateway timeout</html>", content_type=reply)
        if self.mode == "error":
            return web.Response(status=503, text="maintenance")
        if self.mode == "skew":
            return web.Response(body=await asyncio.to_thread(self._skewed, query), content_type=reply)
        signer = self.rogue if self.mode == "untrusted" else self.authority
        if self.mode == "other_hash":
            query = other_hash(query)
        return web.Response(body=await asyncio.to_thread(openssl_reply, signer, query), content_type=reply)

    def _skewed(self, query: bytes) -> bytes:
        """pyHanko's test responder, with its clock `skew` off the real time."""
        from asn1crypto import keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        der = serialization.Encoding.DER
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(self.authority.tsa_cert.public_bytes(der)),
            tsa_key=keys.PrivateKeyInfo.load(self.authority.tsa_key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            fixed_dt=dt.datetime.now(dt.UTC) + self.skew)
        return stamper.request_tsa_response(tsp.TimeStampReq.load(query)).dump()

    async def start(self) -> LocalTsa:
        app = web.Application()
        app.router.add_post("/tsr", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def start_tsa(directory: Path) -> LocalTsa:
    return await LocalTsa(make_authority(directory / "tsa"),
                          make_authority(directory / "rogue", "Rogue TSA")).start()


def unused_port() -> int:
    """A loopback port nothing listens on: a TSA that is down."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
