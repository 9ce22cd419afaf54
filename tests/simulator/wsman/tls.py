"""A throw-away test CA and a server certificate for 127.0.0.1/localhost, made at start-up.

The CA certificate is written to a directory the caller names, so an inventory can validate
the endpoint for real:
    ansible_winrm_server_cert_validation: validate
    ansible_winrm_ca_trust_path: <dir>/ca.pem        (a file), or <dir> itself (an OpenSSL
                                                      hashed directory: <hash>.0 is written too)
Keys live in memory and in a private temporary file only while the SSL context loads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import ssl
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type  # pylint: disable=no-name-in-module  # the only way to force UTF8String
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "ca.pem"


@dataclass
class TLSMaterial:
    ca_cert_pem: bytes
    server_cert_pem: bytes
    server_key_pem: bytes = b""  # unencrypted; never written outside a private temp file
    ca_path: Path | None = None  # where the CA PEM was written

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        # load_cert_chain only reads files; a 0600 temp file that is removed straight away.
        fd, name = tempfile.mkstemp(prefix="wsman-", suffix=".pem")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.server_cert_pem + self.ca_cert_pem + self.server_key_pem)
            ctx.load_cert_chain(name)
        finally:
            os.unlink(name)
        return ctx


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "RPI simulator"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def openssl_subject_hash(cert: x509.Certificate) -> str:
    """OpenSSL's X509_NAME_hash (what `openssl x509 -hash` prints), for a c_rehash-style directory.

    SHA-1 over the canonical subject (each value UTF8String, lower-cased, spaces collapsed;
    the RDN SETs without the outer SEQUENCE), first four bytes little-endian.
    """
    canonical = x509.Name([
        x509.RelativeDistinguishedName([
            x509.NameAttribute(attr.oid, " ".join(str(attr.value).lower().split()), _ASN1Type.UTF8String)
            for attr in rdn
        ])
        for rdn in cert.subject.rdns
    ])
    der = canonical.public_bytes()
    # Skip the outer SEQUENCE tag and its length octets.
    length_octets = der[1] & 0x7F if der[1] & 0x80 else 0
    body = der[2 + length_octets:]
    return "%08x" % struct.unpack("<I", hashlib.sha1(body).digest()[:4])[0]


def generate(ca_dir: str | Path | None = None, hostnames: tuple[str, ...] = ("localhost",),
             ips: tuple[str, ...] = ("127.0.0.1",), days: int = 7) -> TLSMaterial:
    """A fresh CA and a server certificate (SAN DNS + IP) signed by it; CA PEM written to `ca_dir`."""
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    until = now + dt.timedelta(days=days)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("RPI simulator test CA"))
        .issuer_name(_name("RPI simulator test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    san = [x509.DNSName(h) for h in hostnames] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(hostnames[0] if hostnames else ips[0]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    material = TLSMaterial(
        ca_cert_pem=ca_cert.public_bytes(serialization.Encoding.PEM),
        server_cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        server_key_pem=_key_pem(key),
    )
    if ca_dir is not None:
        material.ca_path = write_ca(material, ca_dir, ca_cert)
    return material


def write_ca(material: TLSMaterial, ca_dir: str | Path, ca_cert: x509.Certificate | None = None) -> Path:
    directory = Path(ca_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CA_FILE
    path.write_bytes(material.ca_cert_pem)
    cert = ca_cert or x509.load_pem_x509_certificate(material.ca_cert_pem)
    # requests/urllib3 accept a directory as `verify` only in OpenSSL's hashed layout.
    (directory / f"{openssl_subject_hash(cert)}.0").write_bytes(material.ca_cert_pem)
    return path
