"""An Open Badges 3.0 issuer outside the ecosystem, made with an independent library.

openbadgeslib (LGPLv3, pinned in tests/conformance/requirements.txt) builds every document this
script writes: the issuer's and the learners' keys, the did:web DID documents, the
OpenBadgeCredentials (its OB 3.0 model, signed as VC-JWT by its OB3Signer: ES256, the public
key as a `jwk` header and the issuer's did:web as `iss`, which is how that library issues), and
the BitstringStatusListCredential (its status_list module, signed the same way). Nothing here
comes from the platform under test. The learner's holder proof (a compact JWS over the payload
recognition.proto names) is signed with PyJWT, openbadgeslib's own JOSE dependency.

    issuer.py setup SITE MAIN_PORT EXPIRED_PORT CLOSED_PORT
        SITE/keys/...         the issuer's and two learners' keys (PEM) and DIDs
        SITE/www/...          the files server.py serves: DID documents, the status list
        SITE/credentials/...  good.jwt (the learner's), other-holder.jwt (someone else's),
                              one credential per bad issuer (unreachable, slow, huge, redirect,
                              malformed, expired-tls), manifest.json
    issuer.py revoke SITE
        re-signs the status list with the good credential's bit set (the file server.py serves)
    issuer.py holder-proof SITE AUDIENCE NONCE
        prints the learner's proof of control of the good credential's subject DID
    issuer.py check SITE CA_FILE
        openbadgeslib's own OB3Verifier verifies good.jwt against the served did:web and status
        list: the served site is right before the node is asked (a failure then is the node's)
"""

import json
import os
import sys
import time
import urllib.request
import ssl
from datetime import datetime, timedelta, timezone

import jwt
from openbadgeslib.keys import KeyECC, KeyEd25519, public_jwk_from_pem
from openbadgeslib.ob3 import (Achievement, Alignment, IdentityObject, Issuer, OB3Signer,
                               OB3Verifier, OpenBadgeCredential, build_did_document,
                               build_status_list_credential, did_key_from_pem,
                               multikey_from_pem, sign_status_list_credential, status_entry)

STATUS_INDEX = 4242  # the good credential's bit in the revocation list
LEARNER_EMAIL = "marie.outside@example.org"
LEARNER_SALT = "pepper-7f3a"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)  # server.py never serves a half-written file


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def new_key(kind):
    key = KeyECC() if kind == "ec" else KeyEd25519()
    private_pem, public_pem = key.generate_keypair()
    return private_pem.decode(), public_pem.decode()


def did_web(port, *path):
    return ":".join(["did:web:localhost%3A" + str(port), *path])


def achievement(issuer_port):
    return Achievement(
        id="https://localhost:%d/achievements/data-stewardship" % issuer_port,
        name="Research data stewardship",
        description="Plans, documents and publishes research data following the FAIR "
                    "principles, under an institutional data management policy.",
        criteria_narrative="A data management plan for a real project, reviewed by two data "
                           "stewards, and a 40-minute oral defence.",
        achievement_type="MicroCredential",
        credits_available=5.0,
        # OB 3.0 leaves the unit of creditsAvailable open: the tag says these are ECTS.
        tags=["ECTS", "research data"],
        alignments=[
            Alignment(target_name="EQF level 6", target_framework="EQF", target_code="6",
                      target_url="https://europa.eu/europass/en/description-eight-eqf-levels"),
            Alignment(target_name="Write a data management plan that meets a funder's rules",
                      target_framework="Open Data Academy outcomes", target_code="DS-1",
                      target_url="https://localhost:%d/outcomes/ds-1" % issuer_port)])


def credential(issuer_id, issuer_port, subject_id, status=None, identifiers=()):
    return OpenBadgeCredential(
        issuer=Issuer(id=issuer_id, name="Open Data Academy (outside the ecosystem)",
                      url="https://localhost:%d/" % issuer_port),
        recipient_id=subject_id,
        achievement=achievement(issuer_port),
        issuance_date=datetime.now(timezone.utc) - timedelta(days=30),
        credential_status=[status] if status else [],
        credits_earned=5.0,
        identifiers=list(identifiers))


def status_list_url(main_port):
    return "https://localhost:%d/status/revocation-1" % main_port


def write_status_list(site, revoked):
    manifest = json.loads(read(os.path.join(site, "credentials", "manifest.json")))
    private_pem = read(os.path.join(site, "keys", "issuer.key"))
    url = manifest["status_list_url"]
    vc = build_status_list_credential(manifest["issuer"], url, "revocation",
                                      [STATUS_INDEX] if revoked else [])
    write(os.path.join(site, "www", "status", "revocation-1"),
          sign_status_list_credential(vc, private_pem, "ES256"))


def setup(site, main_port, expired_port, closed_port):
    issuer_private, issuer_public = new_key("ec")
    learner_private, learner_public = new_key("ed25519")
    other_private, other_public = new_key("ed25519")
    keys = os.path.join(site, "keys")
    write(os.path.join(keys, "issuer.key"), issuer_private)
    write(os.path.join(keys, "learner.key"), learner_private)
    write(os.path.join(keys, "other.key"), other_private)
    learner_did = did_key_from_pem(learner_public)
    other_did = did_key_from_pem(other_public)
    jwk = public_jwk_from_pem(issuer_public)

    www = os.path.join(site, "www")
    good = did_web(main_port)
    write(os.path.join(www, ".well-known", "did.json"),
          json.dumps(build_did_document(good, [("key-1", jwk)])))
    # The bad issuers' documents are valid: what fails is how they are served (server.py).
    bad = {
        "unreachable": did_web(closed_port),
        "expired-tls": did_web(expired_port),
        "slow": did_web(main_port, "issuers", "slow"),
        "huge": did_web(main_port, "issuers", "huge"),
        "redirect": did_web(main_port, "issuers", "redirect"),
        "malformed": did_web(main_port, "issuers", "malformed"),
    }
    for name, did in bad.items():
        document = json.dumps(build_did_document(did, [("key-1", jwk)]))
        write(os.path.join(www, "documents", name + ".json"), document)

    signer = OB3Signer(issuer_private, algorithm="ES256")
    creds = os.path.join(site, "credentials")
    url = status_list_url(main_port)
    entry = status_entry(url, "revocation", STATUS_INDEX)
    write(os.path.join(creds, "good.jwt"),
          signer.sign(credential(good, main_port, learner_did, status=entry)))
    write(os.path.join(creds, "other-holder.jwt"),
          signer.sign(credential(good, main_port, other_did)))
    # No subject id: the learner is named by a salted hash of their e-mail address only.
    write(os.path.join(creds, "hashed.jwt"),
          signer.sign(credential(good, main_port, None, identifiers=[
              IdentityObject.create(LEARNER_EMAIL, salt=LEARNER_SALT)])))
    for name, did in bad.items():
        write(os.path.join(creds, name + ".jwt"),
              signer.sign(credential(did, main_port, learner_did)))

    manifest = {"issuer": good, "learner_did": learner_did, "other_did": other_did,
                "learner_email": LEARNER_EMAIL, "status_list_url": url,
                "status_index": STATUS_INDEX, "bad_issuers": bad,
                "learner_kid": learner_did + "#" + multikey_from_pem(learner_public)}
    write(os.path.join(creds, "manifest.json"), json.dumps(manifest, indent=1))
    write_status_list(site, revoked=False)


def holder_proof(site, audience, nonce):
    """The learner's wallet proves control of the subject DID (recognition.proto, holder_proofs)."""
    manifest = json.loads(read(os.path.join(site, "credentials", "manifest.json")))
    key = read(os.path.join(site, "keys", "learner.key"))
    payload = {"iss": manifest["learner_did"], "aud": audience, "nonce": nonce,
               "iat": int(time.time())}
    return jwt.encode(payload, key, algorithm="EdDSA", headers={"kid": manifest["learner_kid"]})


def check(site, ca_file):
    """openbadgeslib verifies the served credential: did:web resolved, status list checked."""
    context = ssl.create_default_context(cafile=ca_file)

    def download(url, *args, **kwargs):  # the library's own refuses loopback, rightly
        with urllib.request.urlopen(url, context=context, timeout=5) as answer:
            return answer.read()

    manifest = json.loads(read(os.path.join(site, "credentials", "manifest.json")))
    verifier = OB3Verifier.for_issuer_did(manifest["issuer"], download=download)
    verified = verifier.verify(read(os.path.join(site, "credentials", "good.jwt")),
                               expected_recipient=manifest["learner_did"], check_status=True,
                               download=download)
    print("openbadgeslib: good.jwt verifies (issuer %s, achievement %r, status checked)"
          % (verified.issuer.id, verified.achievement.name))


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "setup" and len(argv) == 6:
        setup(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    elif command == "revoke" and len(argv) == 3:
        write_status_list(argv[2], revoked=True)
    elif command == "holder-proof" and len(argv) == 5:
        print(holder_proof(argv[2], argv[3], argv[4]))
    elif command == "check" and len(argv) == 4:
        check(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
