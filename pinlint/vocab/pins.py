"""Pin values: the one base64 decoder, as each platform that reads pins decodes them.

A pin is base64 of a SHA-256 digest. Platforms disagree on what base64 they accept: Apple's ``NSData``
is strict (standard alphabet, padding required), ``android.util.Base64`` (also TrustKit-Android) skips
characters outside the alphabet and makes padding optional, OkHttp's Okio also takes the URL-safe
alphabet. Every stage that needs a pin's bytes or its canonical spelling asks here, with the decoder of
the platform that reads the pin, so a pin means one thing in checks, certificate matching, inventory
and chain-check alike.
"""

from __future__ import annotations

import base64
import binascii

#: Decoders of the platforms that read pins: ``strict`` (standard alphabet, padding required; Apple's
#: ``NSData``), ``android`` (``android.util.Base64``: characters outside the alphabet are skipped, padding
#: optional but never misplaced) and ``okio`` (OkHttp: whitespace skipped, standard or URL-safe alphabet,
#: padding optional).
BASE64_DECODERS = ("strict", "android", "okio")

_BASE64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def decode_pin(text: str, decoder: str = "strict") -> bytes | None:
    """Decode ``text`` as the named platform decoder would (whitespace always ignored); None when invalid."""
    cleaned = "".join(text.split())
    if decoder == "android":
        cleaned = "".join(character for character in cleaned if character in _BASE64_ALPHABET or character == "=")
    elif decoder == "okio":
        cleaned = cleaned.replace("-", "+").replace("_", "/")
    if not cleaned:
        return None
    if decoder in ("android", "okio"):
        data = cleaned.rstrip("=")
        padding = len(cleaned) - len(data)
        remainder = len(data) % 4
        misplaced = decoder == "android" and padding and padding != (4 - remainder) % 4
        if "=" in data or remainder == 1 or misplaced:
            return None
        cleaned = data + "=" * ((4 - remainder) % 4)
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return None


def canonical_pin(text: str, decoder: str = "strict") -> str | None:
    """The pin written canonically (standard alphabet, padded, no whitespace), or None when it is not
    base64 for the platform's decoder. Certificates' SPKI pins are written this way, so they compare."""
    digest = decode_pin(text, decoder)
    return None if digest is None else base64.b64encode(digest).decode("ascii")
