"""The one pin decoder (``pinlint.vocab.pins``): base64 as each platform that reads pins decodes it."""

from __future__ import annotations

import base64

import pytest

from pinlint.model.facts import Pin, Span
from pinlint.vocab.pins import canonical_pin, decode_pin

PADDED = base64.b64encode(bytes(range(32))).decode()  # 44 characters ending in one '='
UNPADDED = PADDED.rstrip("=")
SPAN = Span("x")


def test_strict_decoder_requires_padding() -> None:
    assert decode_pin(UNPADDED) is None
    assert decode_pin(PADDED) == bytes(range(32))
    assert decode_pin("") is None and decode_pin("  \n") is None


@pytest.mark.parametrize("decoder", ["android", "okio"])
def test_platform_decoders_accept_missing_padding(decoder: str) -> None:
    assert decode_pin(UNPADDED, decoder) == bytes(range(32))
    assert decode_pin(PADDED, decoder) == bytes(range(32))
    assert Pin(UNPADDED, "sha256", SPAN, decoder=decoder).is_valid


def test_android_decoder_rejects_wrong_padding_and_skips_foreign_characters() -> None:
    assert decode_pin(PADDED + "=", "android") is None  # one '=' too many
    assert decode_pin(PADDED[:10] + "=" + PADDED[11:], "android") is None  # '=' inside the value
    # android.util.Base64 ignores characters outside the alphabet; the length check still catches them.
    assert decode_pin(PADDED[:20] + "!" + PADDED[20:], "android") == bytes(range(32))
    assert not Pin("your_certificate_hash", "sha256", SPAN, decoder="android").is_valid


def test_okio_decoder_accepts_url_safe_alphabet() -> None:
    url_safe = base64.urlsafe_b64encode(bytes(range(200, 232))).decode().rstrip("=")
    assert decode_pin(url_safe, "okio") == bytes(range(200, 232))
    assert decode_pin(url_safe, "strict") is None


@pytest.mark.parametrize(("value", "decoder"), [
    (PADDED, "strict"), (f" {PADDED[:20]}\n{PADDED[20:]} ", "strict"), (UNPADDED, "android"), (UNPADDED, "okio"),
    (base64.urlsafe_b64encode(bytes(range(32))).decode().rstrip("="), "okio"),
])
def test_every_spelling_a_platform_accepts_has_one_canonical_form(value: str, decoder: str) -> None:
    """A certificate's SPKI pin is written padded in the standard alphabet; every accepted spelling of
    the same digest compares equal to it (certificate matching, inventory and chain-check use this)."""
    assert canonical_pin(value, decoder) == PADDED
    pin = Pin(value, "sha256", SPAN, decoder=decoder)
    assert pin.canonical == PADDED and pin.key == "sha256:" + PADDED


def test_what_a_platform_refuses_has_no_canonical_form() -> None:
    assert canonical_pin(UNPADDED) is None
    assert Pin("not base64!", "sha256", SPAN).canonical is None
    assert Pin("not base64!", "sha256", SPAN).key == "sha256:not base64!"
