#!/usr/bin/env python3
"""Writes libs/verification/testdata/outside_jwt_fixtures.json: Open Badges 3.0 credentials
from outside the ecosystem, made by independent libraries, for the OutsideJwtVerifier's unit
tests (which then run offline, with a fake fetcher answering the documents below).

  - joserfc: an issuer did:web:independent.example with a P-256 key (ES256, kid a DID URL),
    its DID document (publicKeyJwk, assertionMethod), two credentials naming entries 17 and 42
    of its revocation list, and that list (a VC-JWT with entry 42 set), all signed by joserfc;
  - openbadgeslib: a credential from a did:key (Ed25519) issuer, as its OB3Signer writes it
    (no kid, the key in a jwk header).

Run once with the conformance venv (tests/conformance/install.sh):
  <build>/conformance-deps/venv/bin/python tests/conformance/make_outside_jwt_fixtures.py
and commit the output. Keys are fresh on every run: the output is new each time, and the tests
read whatever it holds.
"""

import base64
import gzip
import json
import os
import sys
from datetime import datetime, timezone

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from joserfc import jws
from joserfc.jwk import ECKey
from openbadgeslib.ob3 import credential as ob3
from openbadgeslib.ob3.did import did_key_from_pem
from openbadgeslib.ob3.signer import OB3Signer

DID = "did:web:independent.example"
KID = DID + "#key-1"
DID_DOCUMENT_URL = "https://independent.example/.well-known/did.json"
STATUS_URL = "https://independent.example/status/1"
VALID_FROM = "2026-03-01T00:00:00Z"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def encoded_list(set_bits):
    bits = bytearray(131072 // 8)  # the spec's minimum: 131,072 entries
    for i in set_bits:
        bits[i // 8] |= 0x80 >> (i % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))


def credential(index):
    nbf = int(datetime.fromisoformat(VALID_FROM.replace("Z", "+00:00")).timestamp())
    cid = "urn:uuid:5f1c7a52-0000-4000-8000-%012d" % index
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": cid,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Independent Badge",
        "issuer": {"id": DID, "type": ["Profile"], "name": "Independent Institute",
                   "address": {"type": ["Address"], "addressCountryCode": "NL"}},
        "validFrom": VALID_FROM,
        "credentialSubject": {
            "id": "did:example:holder",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://independent.example/achievements/1",
                "type": ["Achievement"],
                "name": "Sustainable Supply Chains",
                "criteria": {"narrative": "Analyses a supply chain's carbon footprint."},
                "alignment": [{"type": ["Alignment"], "targetName": "EQF level 5",
                               "targetFramework": "EQF", "targetCode": "5",
                               "targetUrl": "https://europa.eu/europass/en/eqf"}],
            },
        },
        "credentialStatus": {
            "id": "%s#%d" % (STATUS_URL, index), "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(index),
            "statusListCredential": STATUS_URL,
        },
        # The Open Badges 3.0 JWT claims, copies of the members.
        "iss": DID, "jti": cid, "sub": "did:example:holder", "nbf": nbf,
    }


def joserfc_issuer():
    key = ECKey.generate_key("P-256", private=True)
    public = key.as_dict(private=False)
    document = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": DID,
        "verificationMethod": [{"id": KID, "type": "JsonWebKey2020", "controller": DID,
                                "publicKeyJwk": public}],
        "assertionMethod": [KID],
    }
    header = {"alg": "ES256", "kid": KID, "typ": "JWT"}
    sign = lambda payload: jws.serialize_compact(header, json.dumps(payload), key)
    status_list = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": STATUS_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": DID,
        "validFrom": VALID_FROM,
        "credentialSubject": {"id": STATUS_URL + "#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation", "encodedList": encoded_list([42])},
    }
    return document, sign(credential(17)), sign(credential(42)), sign(status_list)


def openbadgeslib_issuer():
    private = ed25519.Ed25519PrivateKey.generate()
    pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    did = did_key_from_pem(pem)
    achievement = ob3.Achievement(
        id="https://badges.example/achievements/open-source",
        name="Open Source Contributor",
        description="Contributed to an open source project.",
        criteria_narrative="Had a pull request merged into a public project.")
    badge = ob3.OpenBadgeCredential(
        issuer=ob3.Issuer(id=did, name="Badge Club"),
        recipient_id="did:example:holder",
        achievement=achievement,
        issuance_date=datetime(2026, 3, 1, tzinfo=timezone.utc))
    private_pem = private.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    return did, OB3Signer(private_pem, algorithm="EdDSA").sign(badge)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = os.path.join(root, "libs", "verification", "testdata", "outside_jwt_fixtures.json")
    document, active, revoked, status_list = joserfc_issuer()
    did_key, did_key_badge = openbadgeslib_issuer()
    fixtures = {
        "generator": "tests/conformance/make_outside_jwt_fixtures.py (joserfc, openbadgeslib)",
        "documents": {DID_DOCUMENT_URL: json.dumps(document), STATUS_URL: status_list},
        "joserfc_did_web_active": active,
        "joserfc_did_web_revoked": revoked,
        "openbadgeslib_did_key_issuer": did_key,
        "openbadgeslib_did_key": did_key_badge,
    }
    with open(out, "w") as f:
        json.dump(fixtures, f, indent=2)
        f.write("\n")
    print("wrote", out, file=sys.stderr)


if __name__ == "__main__":
    main()
