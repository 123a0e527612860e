"""A reader of W3C Bitstring Status List v1.0 entries of any statusSize, written from the
specification's "Validate Algorithm" and "Bitstring Expansion Algorithm" (section 3): no PyPI
library reads entries wider than one bit (openbadgeslib 4.6.3 refuses statusSize > 1), so the
test carries this one. The status list credential's proof is verified by the caller.
"""

import base64
import gzip

MINIMUM_ENTRIES = 131072


def expand(encoded_list):
    """The Bitstring Expansion Algorithm: multibase base64url ('u', no padding), then GZIP."""
    if not encoded_list.startswith("u"):
        raise ValueError(f"encodedList is not multibase base64url: {encoded_list[:8]!r}")
    text = encoded_list[1:]
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def value_at(bitstring, position, size):
    """The `size` bits from bit `position` as a number, most significant first; bit 0 is the
    most significant (left-most) bit of the first byte."""
    if position + size > len(bitstring) * 8:
        raise IndexError(f"RANGE_ERROR: bits {position}..{position + size - 1} past the list")
    value = 0
    for bit in range(position, position + size):
        value = (value << 1) | (bitstring[bit // 8] >> (7 - bit % 8)) & 1
    return value


def read_status(list_credential, entry):
    """The message of `entry` (a BitstringStatusListEntry) in `list_credential` (its verified
    payload), as the Validate Algorithm gives it."""
    subject = list_credential.get("credentialSubject", {})
    purposes = subject.get("statusPurpose")
    purposes = purposes if isinstance(purposes, list) else [purposes]
    if entry["statusPurpose"] not in purposes:
        raise ValueError(f"STATUS_VERIFICATION_ERROR: the list's purposes are {purposes}")
    if "BitstringStatusListCredential" not in list_credential.get("type", []):
        raise ValueError(f"not a BitstringStatusListCredential: {list_credential.get('type')}")
    size = entry.get("statusSize", 1)
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"statusSize {size!r} is not a positive integer")
    messages = entry.get("statusMessage")
    if size > 1 and (not isinstance(messages, list) or len(messages) != 2**size):
        raise ValueError(f"statusSize {size} needs {2**size} statusMessage entries")
    bitstring = expand(subject["encodedList"])
    if len(bitstring) * 8 // size < MINIMUM_ENTRIES:
        raise ValueError(f"STATUS_LIST_LENGTH_ERROR: {len(bitstring) * 8 // size} entries")
    value = value_at(bitstring, int(entry["statusListIndex"]) * size, size)
    if messages is None:
        return "set" if value else "unset"
    for message in messages:
        if int(message["status"], 16) == value:
            return message["message"]
    raise ValueError(f"status {value:#x} has no message")
