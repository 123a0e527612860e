"""The Python half of the Open Badges 3.0 conformance check (run.sh drives it; README.md).

    verify.py MANIFEST.json SCHEMA.json

Reads what conformance_issuer issued and checks every credential with implementations that are
not ours, fetching everything else from the nodes over HTTP, as an outside verifier would:

- the 1EdTech AchievementCredential JSON Schema (jsonschema's Draft201909Validator, formats
  checked) on every payload, as it is (the OB profile's registered claims included);
- the JOSE header of each profile exactly, and the OB 3.0 registered claims;
- joserfc verifies every token, the key found only by following its kid: a URL kid is fetched
  as a JWK, a did:web kid is resolved (openbadgeslib's did:web resolver) to the DID document's
  verification method of that id;
- openbadgeslib's OB3Verifier verifies every token of the OB 3.0 profile (it requires the OB
  claims, so it does not apply to VC-JOSE-COSE), anchored to the issuer's did:web when there is
  one;
- every tampered copy is refused by both;
- the status of each credential: its one credentialStatus entry, the status list credential
  fetched and its signature verified like a credential's, the 2-bit entry read by bitstring.py
  (W3C Bitstring Status List v1.0);
- the issuer's id dereferences to an OB 3.0 Profile (the schema's Profile) or a DID document
  listing the keys.

The https URLs of the manifest's hosts are fetched from the loopback port the manifest gives
for the host, as an ingress in front of the node would route them; any other host is refused.
Prints one line per check and "N passed, N failed"; exits 1 on any failure.
"""

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import warnings
from datetime import datetime

import jsonschema
from importlib.metadata import version
from joserfc import jws
from joserfc.jwk import JWKRegistry
from openbadgeslib.ob3.did import fetch_did_web_document
from openbadgeslib.ob3.verifier import OB3Verifier

from bitstring import read_status

MESSAGES = [
    {"status": "0x0", "message": "active"},
    {"status": "0x1", "message": "revoked"},
    {"status": "0x2", "message": "suspended"},
    {"status": "0x3", "message": "undefined"},
]


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}{': ' + detail if detail else ''}")
        return ok

    def run(self, what, function):
        """Runs `function`; a failure is one that raises (its message is the detail)."""
        try:
            function()
            return self.check(True, what)
        except Exception as error:  # noqa: BLE001 - every error is a finding to report
            return self.check(False, what, f"{type(error).__name__}: {error}")


class Web:
    """Fetches the manifest's https URLs from the loopback ports that serve their hosts."""

    def __init__(self, hosts):
        self.hosts = hosts
        self.cache = {}

    def get(self, url, accept="application/json"):
        key = (url, accept)
        if key not in self.cache:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme != "https" or parts.hostname not in self.hosts:
                raise ValueError(f"{url}: not a URL of the test's nodes")
            local = urllib.parse.urlunsplit(
                ("http", f"127.0.0.1:{self.hosts[parts.hostname]}", parts.path, parts.query, ""))
            request = urllib.request.Request(local, headers={"Accept": accept})
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    self.cache[key] = (answer.read(), answer.headers.get("Content-Type", ""))
            except urllib.error.URLError as error:
                raise LookupError(f"GET {url} (Accept {accept}): {error}") from error
        return self.cache[key]

    def download(self, url):
        """openbadgeslib's download hook."""
        return self.get(url)[0]


def b64decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def split(token):
    header, payload, _ = token.split(".")
    return json.loads(b64decode(header)), json.loads(b64decode(payload))


def jwk_for_kid(web, kid):
    """The public JWK a kid names: the JWK at a URL kid, or the did:web verification method."""
    if kid.startswith("did:web:"):
        did = kid.split("#", 1)[0]
        document = fetch_did_web_document(did, download=web.download)
        for method in document.get("verificationMethod", []):
            if method.get("id") == kid or (method.get("id", "").startswith("#")
                                           and did + method["id"] == kid):
                return method["publicKeyJwk"]
        raise LookupError(f"{did}'s DID document has no verification method {kid}")
    body, content_type = web.get(kid, accept="application/jwk+json")
    if not content_type.startswith("application/jwk+json"):
        raise ValueError(f"{kid} answered {content_type!r}, not application/jwk+json")
    jwk = json.loads(body)
    if jwk.get("kid") != kid:
        raise ValueError(f"the JWK at {kid} has kid {jwk.get('kid')!r}")
    return jwk


def joserfc_verify(web, token, alg):
    """Verifies `token` with joserfc, the key by its kid, the algorithm pinned to `alg`."""
    header, _ = split(token)
    key = JWKRegistry.import_key(jwk_for_kid(web, header["kid"]))
    return jws.deserialize_compact(token, key, algorithms=[alg])


def ob3_verifier(web, issuer_id, token):
    """openbadgeslib's verifier: anchored to the did:web, or built from the kid's key."""
    if issuer_id.startswith("did:web:"):
        return OB3Verifier.for_issuer_did(issuer_id, download=web.download)
    header, _ = split(token)
    key = JWKRegistry.import_key(jwk_for_kid(web, header["kid"]))
    return OB3Verifier(key.as_pem(private=False))


def seconds(date_time):
    return int(datetime.fromisoformat(date_time.replace("Z", "+00:00")).timestamp())


def check_header(report, name, profile, alg, header):
    if profile == "open-badges-jwt":
        report.check(set(header) == {"alg", "kid", "typ"} and header["typ"] == "JWT",
                     f"{name}: OB 3.0 header is exactly alg, kid, typ JWT", json.dumps(header))
    else:
        report.check(set(header) == {"alg", "kid", "typ", "cty"} and header["typ"] == "vc+jwt"
                     and header["cty"] == "vc",
                     f"{name}: VC-JOSE-COSE header is alg, kid, typ vc+jwt, cty vc",
                     json.dumps(header))
    report.check(header.get("alg") == alg, f"{name}: alg {alg}", json.dumps(header))


def check_claims(report, name, profile, payload):
    """OB 3.0: iss, jti, sub, nbf, exp as the credential says; VC-JOSE-COSE: the credential."""
    registered = {"iss", "jti", "sub", "nbf", "exp", "iat", "aud"}
    if profile != "open-badges-jwt":
        report.check(not registered & set(payload), f"{name}: no registered claims",
                     ", ".join(sorted(registered & set(payload))))
        return
    expected = {
        "iss": payload.get("issuer", {}).get("id"),
        "jti": payload.get("id"),
        "sub": payload.get("credentialSubject", {}).get("id"),
        "nbf": seconds(payload["validFrom"]) if "validFrom" in payload else None,
    }
    if "validUntil" in payload:
        expected["exp"] = seconds(payload["validUntil"])
    for claim, value in expected.items():
        report.check(value is not None and payload.get(claim) == value,
                     f"{name}: claim {claim} = {value!r}", f"found {payload.get(claim)!r}")
    for claim in ("iat", "aud") + (() if "validUntil" in payload else ("exp",)):
        report.check(claim not in payload, f"{name}: no {claim} claim")


def check_status(report, web, credential, payload):
    name = credential["name"]
    entry = payload.get("credentialStatus")
    if not report.check(isinstance(entry, dict), f"{name}: credentialStatus is one object",
                        json.dumps(entry)[:200]):
        return
    issuer_url = entry.get("statusListCredential", "").rsplit("/status/", 1)[0]
    index = entry.get("statusListIndex", "")
    expected = {
        "id": f"{issuer_url}/status/message#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusSize": 2,
        "statusListCredential": f"{issuer_url}/status/message",
        "statusMessage": MESSAGES,
        "statusReference": f"{issuer_url}/status",
    }
    for field, value in expected.items():
        report.check(entry.get(field) == value, f"{name}: credentialStatus.{field}",
                     f"found {entry.get(field)!r}, expected {value!r}")
    report.check(isinstance(index, str) and index.isdigit(), f"{name}: statusListIndex a number")

    def read():
        body, _ = web.get(entry["statusListCredential"], accept="application/vc+jwt")
        token = body.decode().strip()
        header, list_payload = split(token)
        joserfc_verify(web, token, header["alg"])  # found by kid like any credential's key
        issuer = list_payload.get("issuer")
        issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer != payload["issuer"]["id"]:
            raise ValueError(f"the status list's issuer {issuer} is not the credential's")
        message = read_status(list_payload, entry)
        if message != credential["status"]:
            raise ValueError(f"status {message!r}, expected {credential['status']!r}")

    report.run(f"{name}: status {credential['status']} read from the signed status list", read)


def check_credential(report, web, validator, credential):
    name, token, profile, alg = (credential[k] for k in ("name", "jws", "profile", "alg"))
    header, payload = split(token)
    check_header(report, name, profile, alg, header)
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path))
    report.check(not errors, f"{name}: validates against the 1EdTech AchievementCredential schema",
                 "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:160]}"
                           for e in errors[:5]))
    check_claims(report, name, profile, payload)
    issuer_id = credential["issuer_id"]
    report.check(payload.get("issuer", {}).get("id") == issuer_id, f"{name}: issuer.id {issuer_id}",
                 f"found {payload.get('issuer', {}).get('id')!r}")
    kid = header.get("kid", "")
    kid_prefix = issuer_id + ("#" if issuer_id.startswith("did:") else "/keys/")
    report.check(kid.startswith(kid_prefix), f"{name}: kid under {kid_prefix}", kid)
    report.check(("validUntil" in payload) == credential["valid_until"],
                 f"{name}: validUntil {'present' if credential['valid_until'] else 'absent'}")
    report.run(f"{name}: joserfc verifies it, key by kid", lambda: joserfc_verify(web, token, alg))
    if profile == "open-badges-jwt":
        report.run(f"{name}: openbadgeslib OB3Verifier verifies it",
                   lambda: ob3_verifier(web, issuer_id, token).verify(token))
    check_status(report, web, credential, payload)


def check_refused(report, web, credential, tampered):
    name = tampered["name"]

    def refused(verify):
        try:
            verify()
        except Exception as error:  # noqa: BLE001 - any refusal is a refusal
            return f"{type(error).__name__}: {error}"
        return None

    why = refused(lambda: joserfc_verify(web, tampered["jws"], credential["alg"]))
    report.check(why is not None, f"{name}: refused by joserfc")
    if credential["profile"] == "open-badges-jwt":
        why = refused(lambda: ob3_verifier(web, credential["issuer_id"],
                                           tampered["jws"]).verify(tampered["jws"]))
        report.check(why is not None, f"{name}: refused by openbadgeslib")


def check_issuer(report, web, validator, institution, kids):
    """The issuer's id dereferences to its Profile, or to a DID document naming its keys.

    An institution named by did:web has its Profile at its URL I, found from the DID document
    (alsoKnownAs I) and naming the DID in otherIdentifier; its id may be I or the DID."""
    issuer_id, url = institution["issuer_id"], institution["public_url"]
    profile_url = f"{url}/institutions/{institution['id']}"
    did = issuer_id if issuer_id.startswith("did:web:") else None

    def profile():
        body, content_type = web.get(profile_url)
        if not content_type.startswith("application/json"):
            raise ValueError(f"{profile_url} answered {content_type!r}")
        document = json.loads(body)
        profile_schema = {"$schema": validator.schema["$schema"], "$id": validator.schema["$id"],
                          "$ref": "#/$defs/Profile", "$defs": validator.schema["$defs"]}
        errors = list(type(validator)(profile_schema, format_checker=validator.format_checker)
                      .iter_errors(document))
        if errors:
            raise ValueError("; ".join(e.message[:160] for e in errors[:3]))
        if document.get("id") not in ({issuer_id, profile_url} if did else {issuer_id}):
            raise ValueError(f"the Profile's id is {document.get('id')!r}, not {issuer_id}")
        if "Profile" not in document.get("type", []):
            raise ValueError(f"type {document.get('type')!r} has no Profile")
        named = {entry.get("identifier") for entry in document.get("otherIdentifier", [])}
        if did and did != document.get("id") and did not in named:
            raise ValueError(f"the Profile does not name {did}")

    report.run(f"{institution['id']}: {profile_url} is an OB 3.0 Profile (schema $defs/Profile)",
               profile)
    if did:
        def did_document():
            document = fetch_did_web_document(did, download=web.download)
            if document.get("id") != did:
                raise ValueError(f"the DID document's id is {document.get('id')!r}")
            listed = {m.get("id") for m in document.get("verificationMethod", [])}
            if not kids <= listed:
                raise ValueError(f"kids not listed: {sorted(kids - listed)}")
            if profile_url not in document.get("alsoKnownAs", []):
                raise ValueError(f"alsoKnownAs {document.get('alsoKnownAs')} lacks {profile_url}")
        report.run(f"{institution['id']}: {did} resolves to a DID document listing every kid its "
                   f"credentials name, alsoKnownAs its Profile URL", did_document)


def note_openbadgeslib_status(web, credential):
    """Says, without judging, what openbadgeslib's own status check makes of a credential: it
    reads 1-bit entries only, so it refuses the 2-bit message entry (docs/CREDENTIALS.md,
    "Status", says why the credential carries that one entry)."""
    try:
        ob3_verifier(web, credential["issuer_id"], credential["jws"]).verify(
            credential["jws"], check_status=True, download=web.download)
        outcome = "accepts it"
    except Exception as error:  # noqa: BLE001 - reported, not judged
        outcome = f"refuses it: {error}"
    print(f"note: openbadgeslib's status check (verify(check_status=True)) on "
          f"{credential['name']} {outcome}")


def main():
    manifest_path, schema_path = sys.argv[1:3]
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft201909Validator.check_schema(schema)
    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    print(f"jsonschema {version('jsonschema')}, openbadgeslib {version('openbadgeslib')}, "
          f"joserfc {version('joserfc')} on Python {sys.version.split()[0]}")
    # joserfc 1.8 warns on every EdDSA token; said once here instead.
    warnings.filterwarnings("ignore", message="EdDSA is deprecated")
    print('note: joserfc warns that the JOSE alg "EdDSA" is deprecated by RFC 9864 '
          '(fully-specified algorithms: "Ed25519"); it still verifies it')
    web = Web(manifest["hosts"])
    report = Report()
    credentials = {c["name"]: c for c in manifest["credentials"]}
    report.check(len(credentials) >= 20 and manifest["tampered"], "the manifest holds credentials")
    for credential in manifest["credentials"]:
        failed = report.failed
        check_credential(report, web, validator, credential)
        if report.failed == failed:
            print(f"ok   {credential['name']} ({credential['profile']}, {credential['alg']}, "
                  f"{credential['status']})")
    failed = report.failed
    for tampered in manifest["tampered"]:
        check_refused(report, web, credentials[tampered["of"]], tampered)
    if report.failed == failed:
        print(f"ok   all {len(manifest['tampered'])} tampered copies refused")
    note_openbadgeslib_status(web, manifest["credentials"][0])
    for institution in manifest["institutions"]:
        kids = {split(c["jws"])[0].get("kid") for c in manifest["credentials"]
                if c["institution"] == institution["id"]}
        check_issuer(report, web, validator, institution, kids)
    print(f"python: {report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
