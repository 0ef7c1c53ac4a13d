"""Checks on files pinlint cannot read or the platform cannot load."""

from __future__ import annotations

from collections.abc import Iterator

from pinlint.checks.common import variant_note, variant_severity
from pinlint.checks.context import CheckContext
from pinlint.model.facts import ConfigProblem, FactStore, MissingReference, ParseError
from pinlint.model.findings import Finding

#: What a load-time rejection means, per mechanism.
_LOAD_FAILURE = {
    "android-nsc": "Android rejects the whole network security config when it loads, so the app crashes at its "
                   "first connection",
    "trustkit": "the app crashes at start-up",
}


def unreadable_rule(error: ParseError) -> str:
    """The rule a file that could not be scanned reports under: CFG902 when refused as unsafe XML, else CFG901."""
    return "CFG902" if error.unsafe else "CFG901"


def parse_error(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CFG901: a file pinlint must read but cannot parse; the rest of the scan goes on."""
    for error in facts.of(ParseError):
        if unreadable_rule(error) != "CFG901":
            continue
        yield Finding("CFG901", f"cannot parse: {error.reason}", error.span, subject=(error.reason,))


def unsafe_xml(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CFG902: XML or a plist with a DTD or entity declarations, refused and never expanded."""
    for error in facts.of(ParseError):
        if unreadable_rule(error) != "CFG902":
            continue
        yield Finding("CFG902", f"unsafe XML: {error.reason}", error.span, subject=(error.reason,))


def invalid_config(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CFG903: a configuration the platform rejects at load time (the app crashes at first use), or
    silently ignores (then the problem's ``consequence`` says what happens instead)."""
    for problem in facts.of(ConfigProblem):
        consequence = problem.consequence or _LOAD_FAILURE.get(
            problem.origin, "the platform rejects this configuration when it loads")
        yield Finding(
            "CFG903",
            f"{problem.reason}; {consequence}" + variant_note(problem.variant),
            problem.span,
            subject=(problem.origin, problem.reason),
            severity=variant_severity(ctx, problem.variant),
        )


def missing_config_reference(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CFG904: the manifest names a network security config resource that does not exist, or a config
    names a ``@raw`` trust-anchor certificate that does not exist."""
    for missing in facts.of(MissingReference):
        if missing.reference.startswith("@raw/"):
            what = (f"trust-anchor certificate '{missing.reference}' does not exist in res/raw: the build fails "
                    f"or the anchor cannot load; add the certificate file or fix the name")
        else:
            what = (f"'{missing.reference}' does not exist: the build fails or the app runs without the intended "
                    f"network security config; point the attribute at an existing res/xml file")
        yield Finding(
            "CFG904",
            what + variant_note(missing.variant),
            missing.span,
            subject=(missing.origin, missing.reference),
            severity=variant_severity(ctx, missing.variant),
        )
