#!/usr/bin/env python3
"""Reads the status of a node's credentials as a W3C Bitstring Status List v1.0 verifier does.

    check_status.py STATUS_VECTORS OUT.json

Runs STATUS_VECTORS (see status_vectors.cc), which writes OUT.json: credentials (compact JWS)
with the status each should have, and the documents the node served under their public URLs.
Then, for each credential, follows its credentialStatus with nothing but the Python standard
library, written from the specification (https://www.w3.org/TR/vc-bitstring-status-list/,
"Validate Algorithm" and "Bitstring Expansion Algorithm"), not from the platform's code:

  - the credential's credentialStatus is one object with a string id and type (the 1EdTech
    OB 3.0 schema's CredentialStatus); its statusPurpose "message" entry has statusSize 2 and
    2^statusSize statusMessage items;
  - its statusListCredential dereferences to a BitstringStatusListCredential of the same
    purpose; encodedList is multibase base64url ("u") of the GZIP of the bitstring; the list has
    at least 131,072 entries of statusSize bits;
  - the entry's value is the statusSize bits at position statusListIndex * statusSize (bit 0 is
    the most significant bit of the first byte), most significant first; its statusMessage
    names the expected status;
  - the 1-bit revocation and suspension lists that the statusReference document names carry
    the same status at the same index.

Signatures are not checked here: tests/jose-interop checks the node's tokens with panva/jose.
Exits 1 on the first mismatch, naming it.
"""

import base64
import gzip
import json
import subprocess
import sys

MIN_ENTRIES = 131072


def fail(message):
    print("status-interop: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jws_payload(token):
    parts = token.split(".")
    if len(parts) != 3:
        fail("not a compact JWS: %r" % token[:40])
    return json.loads(b64url_decode(parts[1]))


def dereference(served, url):
    document = served.get(url)
    if document is None:
        fail("nothing served at %s" % url)
    return document


def expand(encoded_list):
    """The spec's Bitstring Expansion Algorithm: multibase base64url, then GZIP."""
    if not encoded_list.startswith("u"):
        fail("encodedList is not multibase base64url: %r" % encoded_list[:10])
    return gzip.decompress(b64url_decode(encoded_list[1:]))


def entry_value(bitstring, index, size):
    """statusSize bits from position index * statusSize, bit 0 = MSB of byte 0."""
    position = index * size
    if position + size > len(bitstring) * 8:
        fail("RANGE_ERROR: index %d outside the list" % index)
    value = 0
    for bit in range(position, position + size):
        value = (value << 1) | ((bitstring[bit // 8] >> (7 - bit % 8)) & 1)
    return value


def read_list(served, url, purpose, size):
    document = dereference(served, url)
    if document["content_type"] != "application/vc+jwt":
        fail("%s served as %s" % (url, document["content_type"]))
    credential = jws_payload(document["body"])
    if "BitstringStatusListCredential" not in credential.get("type", []):
        fail("%s is not a BitstringStatusListCredential" % url)
    subject = credential["credentialSubject"]
    purposes = subject["statusPurpose"]
    if purpose not in (purposes if isinstance(purposes, list) else [purposes]):
        fail("STATUS_VERIFICATION_ERROR: %s has purpose %r, not %r" % (url, purposes, purpose))
    if size > 1 and subject.get("statusSize") != size:
        fail("%s: credentialSubject.statusSize %r, the entry says %d"
             % (url, subject.get("statusSize"), size))
    bitstring = expand(subject["encodedList"])
    if len(bitstring) < 16 * 1024:
        fail("%s: the bitstring is %d bytes, under 16KB" % (url, len(bitstring)))
    if len(bitstring) * 8 // size < MIN_ENTRIES:
        fail("STATUS_LIST_LENGTH_ERROR: %s has %d entries" % (url, len(bitstring) * 8 // size))
    return subject, bitstring


def check_entry(served, entry, expect, name):
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) \
            or not isinstance(entry.get("type"), str):
        fail("%s: credentialStatus is not one object with string id and type" % name)
    if entry["type"] != "BitstringStatusListEntry" or entry.get("statusPurpose") != "message":
        fail("%s: not a message BitstringStatusListEntry: %s" % (name, entry))
    size = entry.get("statusSize", 1)
    messages = entry.get("statusMessage", [])
    if len(messages) != 2 ** size:
        fail("%s: %d statusMessage items for statusSize %d" % (name, len(messages), size))
    index = int(entry["statusListIndex"])
    subject, bitstring = read_list(served, entry["statusListCredential"], "message", size)
    value = entry_value(bitstring, index, size)
    message = [m["message"] for m in messages if int(m["status"], 16) == value]
    if message != [expect]:
        fail("%s: message list says %s (value %d), expected %s" % (name, message, value, expect))
    listed = subject.get("statusMessages")
    if listed is not None and [(m["status"], m["message"]) for m in listed] != \
            [(m["status"], m["message"]) for m in messages]:
        fail("%s: the list's statusMessages differ from the entry's" % name)
    return index


def check_one_bit_lists(served, reference_url, index, expect, name):
    reference = json.loads(dereference(served, reference_url)["body"])
    seen = set()
    for listed in reference["statusLists"]:
        purpose = listed["statusPurpose"]
        if purpose not in ("revocation", "suspension"):
            continue
        _, bitstring = read_list(served, listed["statusListCredential"], purpose, 1)
        bit = entry_value(bitstring, index, 1)
        want = 1 if (purpose, expect) in (("revocation", "revoked"),
                                           ("suspension", "suspended")) else 0
        if bit != want:
            fail("%s: %s bit %d, expected %d" % (name, purpose, bit, want))
        seen.add(purpose)
    if seen != {"revocation", "suspension"}:
        fail("the statusReference document names the lists %s" % sorted(seen))


def main():
    if len(sys.argv) != 3:
        print("usage: check_status.py STATUS_VECTORS OUT.json", file=sys.stderr)
        sys.exit(2)
    subprocess.run([sys.argv[1], sys.argv[2]], check=True)
    with open(sys.argv[2], encoding="utf-8") as f:
        vectors = json.load(f)
    served = vectors["served"]
    expected = set()
    for credential in vectors["credentials"]:
        name, expect = credential["name"], credential["expect"]
        entry = jws_payload(credential["jws"])["credentialStatus"]
        index = check_entry(served, entry, expect, name)
        check_one_bit_lists(served, entry["statusReference"], index, expect, name)
        expected.add(expect)
        print("status-interop: %s at %d: %s" % (name, index, expect))
    if expected != {"active", "revoked", "suspended"}:
        fail("the vectors cover %s" % sorted(expected))
    print("status-interop: PASS")


if __name__ == "__main__":
    main()
