"""A test CA standing in for the RPI's, and a relay certificate for 127.0.0.1 it signed (tests only).

One place for the certificates the SMTP-notice tests need (the unit tests and the end-to-end run of activity 11), so
that both check the same thing: the configured CA, not the controller's trust store, is what lets the notice through.
Built with the extensions Python 3.13's strict X.509 verification (VERIFY_X509_STRICT) requires: key identifiers on
both certificates, the CA's key usage, and the relay's server-auth extended key usage.
"""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

import pytest


def rpi_ca(folder: Path) -> tuple[Path, Path, Path]:
    """Write the CA, the relay's certificate and the relay's key as PEM files in `folder`; return their paths."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel

    now = datetime.datetime.now(datetime.timezone.utc)
    valid_from, valid_to = now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=1)
    ca_key, relay_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "RPI CA de pruebas")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(valid_from).not_valid_after(valid_to)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    relay_name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "relay.rpi.test")])
    relay = (x509.CertificateBuilder().subject_name(relay_name).issuer_name(ca_name).public_key(relay_key.public_key())
             .serial_number(x509.random_serial_number()).not_valid_before(valid_from).not_valid_after(valid_to)
             .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
             .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
             .sign(ca_key, hashes.SHA256()))
    ca_file, cert_file, key_file = folder / "rpi-ca.pem", folder / "relay.pem", folder / "relay.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(relay.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(relay_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    return ca_file, cert_file, key_file
