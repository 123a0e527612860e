"""Checks the JAdES seals of the node's ELM exports with the OpenSSL command line and the Python
standard library only, independently of the C++ code that made them (libs/jades).

    jades_check.py MANIFEST.json

For every "sealed" entry of the manifest (europass_exporter.cc): the file is the JWS JSON
serialisation with exactly "payload" and one signature of "protected" and "signature"; the
protected header has alg ES256 or RS256, typ "jose+json", b64 false, the signing time as iat
(crit exactly b64) or as sigT (crit exactly b64 and sigT), x5c the chain and x5t#S256 the SHA-256 of x5c[0]; `openssl dgst` verifies the
signature over ASCII(protected) "." payload with x5c[0]'s key, and refuses it once one payload
byte is changed; `openssl verify` chains x5c[0] through x5c[1:] to the institution's seal CA at
the signing time; and the document's issuer.eIDASIdentifier.notation is the certificate's
organizationIdentifier. Exits 1 when any check fails.
"""

import base64
import datetime
import hashlib
import json
import pathlib
import re
import subprocess
import sys
import tempfile


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der_integer(value):
    body = value.lstrip(b"\x00") or b"\x00"
    if body[0] & 0x80:
        body = b"\x00" + body
    return b"\x02" + der_length(len(body)) + body


def es256_to_der(signature):
    """JOSE's R || S as the DER ECDSA-Sig-Value that openssl dgst reads."""
    if len(signature) != 64:
        raise ValueError(f"ES256 signature of {len(signature)} bytes")
    body = der_integer(signature[:32]) + der_integer(signature[32:])
    return b"\x30" + der_length(len(body)) + body


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True)


def pem(der):
    text = base64.encodebytes(der).decode().replace("\n", "")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def check(entry, work):
    text = pathlib.Path(entry["file"]).read_text(encoding="utf-8")
    doc = json.loads(text)
    assert set(doc) == {"payload", "signatures"}, f"members {sorted(doc)}"
    assert isinstance(doc["payload"], str), "payload is not the unencoded JSON text"
    assert len(doc["signatures"]) == 1, "not exactly one signature"
    signature = doc["signatures"][0]
    assert set(signature) == {"protected", "signature"}, f"signature members {sorted(signature)}"
    header = json.loads(b64url_decode(signature["protected"]))
    assert header["alg"] in ("ES256", "RS256"), f"alg {header['alg']}"
    assert header["typ"] == "jose+json", f"typ {header.get('typ')}"
    assert header["b64"] is False, "b64 is not false"
    # The claimed signing time: "iat" (a NumericDate, ETSI TS 119 182-1 v1.2.1, what Seal
    # writes) or the older critical "sigT" (v1.1.1), never both.
    assert ("iat" in header) != ("sigT" in header), "not exactly one of iat and sigT"
    if "iat" in header:
        assert sorted(header["crit"]) == ["b64"], f"crit {header['crit']}"
        assert isinstance(header["iat"], int), f"iat {header['iat']!r}"
        signed_at = header["iat"]
    else:
        assert sorted(header["crit"]) == ["b64", "sigT"], f"crit {header['crit']}"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", header["sigT"]), header["sigT"]
        sig_t = datetime.datetime.strptime(header["sigT"], "%Y-%m-%dT%H:%M:%SZ")
        signed_at = int(sig_t.replace(tzinfo=datetime.timezone.utc).timestamp())
    chain = [base64.b64decode(c) for c in header["x5c"]]
    assert header["x5t#S256"] == b64url(hashlib.sha256(chain[0]).digest()), "x5t#S256"

    leaf = work / "leaf.pem"
    leaf.write_text(pem(chain[0]))
    (work / "untrusted.pem").write_text("".join(pem(c) for c in chain[1:]) or pem(chain[0]))
    public = openssl("x509", "-in", str(leaf), "-pubkey", "-noout")
    assert public.returncode == 0, public.stderr.decode()
    (work / "public.pem").write_bytes(public.stdout)
    raw = b64url_decode(signature["signature"])
    (work / "signature.bin").write_bytes(es256_to_der(raw) if header["alg"] == "ES256" else raw)

    def verifies(payload_bytes):
        signing_input = signature["protected"].encode("ascii") + b"." + payload_bytes
        result = openssl("dgst", "-sha256", "-verify", str(work / "public.pem"), "-signature",
                         str(work / "signature.bin"), data=signing_input)
        return result.returncode == 0 and b"Verified OK" in result.stdout

    payload = doc["payload"].encode("utf-8")
    assert verifies(payload), "openssl dgst does not verify the signature"
    tampered = bytearray(payload)
    tampered[len(tampered) // 2] ^= 0x01
    assert not verifies(bytes(tampered)), "a changed payload byte still verifies"

    chained = openssl("verify", "-CAfile", entry["ca"], "-untrusted", str(work / "untrusted.pem"),
                      "-attime", str(signed_at), str(leaf))
    assert chained.returncode == 0, "openssl verify: " + (chained.stdout + chained.stderr).decode()

    subject = openssl("x509", "-in", str(leaf), "-noout", "-subject", "-nameopt", "RFC2253")
    match = re.search(r"organizationIdentifier=([^,\n]+)", subject.stdout.decode())
    assert match, f"no organizationIdentifier in {subject.stdout.decode()!r}"
    credential = json.loads(doc["payload"])
    notation = credential["issuer"]["eIDASIdentifier"]["notation"]
    assert notation == match.group(1), f"eIDAS identifier {notation} != {match.group(1)}"
    return header, signed_at


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    manifest = json.loads(pathlib.Path(argv[0]).read_text())
    ok = True
    with tempfile.TemporaryDirectory() as temp:
        for entry in manifest["sealed"]:
            try:
                header, signed_at = check(entry, pathlib.Path(temp))
                when = datetime.datetime.fromtimestamp(signed_at, datetime.timezone.utc)
                print(f"ok {entry['name']}: {header['alg']}, signed {when:%Y-%m-%dT%H:%M:%SZ}, "
                      f"{len(header['x5c'])} certificates, signature and chain verified by openssl")
            except (AssertionError, KeyError, ValueError) as error:
                print(f"FAIL {entry['name']}: {error}")
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
