"""European Digital Credentials sealed by a test seal, one of them with an expired certificate.

    edc_seal.py SAMPLE CERTS OUT_DIR
        SAMPLE is a JAdES-sealed EDC (the Commission's sample, tests/europass/samples/); its
        payload, the ELM v3 credential as the Commission wrote it, is sealed again here, written
        with Python's `cryptography` from ETSI TS 119 182-1 v1.2.1 (JWS JSON serialisation,
        unencoded payload with b64 critical, the claimed signing time as iat, x5c and x5t#S256),
        by two seal certificates of a test seal CA:
          CERTS/seal-ca.pem            the trust anchor (the node's --trusted-list-file)
          OUT_DIR/edc-valid.json       sealed by a certificate valid now
          OUT_DIR/edc-expired.json     sealed now by a certificate that expired yesterday
"""

import base64
import datetime
import hashlib
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Outside Seal Test"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def seal_ca(certs, now):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(name("Outside test seal CA"))
            .issuer_name(name("Outside test seal CA"))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=400))
            .not_valid_after(now + datetime.timedelta(days=400))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    with open(os.path.join(certs, "seal-ca.pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def seal_certificate(ca_key, ca_cert, common_name, not_before, not_after):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(name(common_name))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def seal(payload, key, chain, signed_at):
    der = [c.public_bytes(serialization.Encoding.DER) for c in chain]
    header = {"alg": "ES256", "typ": "jose+json", "cty": "ld+json",
              "x5c": [base64.b64encode(d).decode("ascii") for d in der],
              "x5t#S256": b64url(hashlib.sha256(der[0]).digest()),
              "iat": int(signed_at.timestamp()),
              "b64": False, "crit": ["b64"]}
    protected = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    der_signature = key.sign(protected.encode("ascii") + b"." + payload.encode("utf-8"),
                             ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der_signature)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return json.dumps({"payload": payload,
                       "signatures": [{"protected": protected, "signature": b64url(signature)}]})


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    sample, certs, out = argv[1:]
    with open(sample, encoding="utf-8") as f:
        payload = json.load(f)["payload"]
    os.makedirs(certs, exist_ok=True)
    os.makedirs(out, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    ca_key, ca_cert = seal_ca(certs, now)
    for stem, not_before, not_after in [
            ("valid", now - datetime.timedelta(days=30), now + datetime.timedelta(days=300)),
            ("expired", now - datetime.timedelta(days=300), now - datetime.timedelta(days=1))]:
        key, cert = seal_certificate(ca_key, ca_cert, "Outside Seal Test " + stem, not_before,
                                     not_after)
        with open(os.path.join(out, "edc-%s.json" % stem), "w", encoding="utf-8") as f:
            f.write(seal(payload, key, [cert, ca_cert], now - datetime.timedelta(minutes=1)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
