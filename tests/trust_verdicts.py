"""Test helper: what the trust checks (TRU301-TRU304, TRU306) decide about the ``TrustCallback`` facts of a
parse, one record per finding in the order of the facts, so front-end tests can say "this code trusts all"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pinlint.checks import trust
from pinlint.checks.context import CheckContext
from pinlint.model.facts import FactStore, Span, TrustCallback
from pinlint.rules import lookup
from tests.conftest import FIXTURE_TODAY

TRUST_ALL = "TRU301"
HOSTNAME_OFF = "TRU302"
WEBVIEW_PROCEED = "TRU303"
PIN_FAIL_OPEN = "TRU304"
FORGEABLE = "TRU306"

_CHECKS = (
    (TRUST_ALL, trust.trust_all_certificates),
    (HOSTNAME_OFF, trust.hostname_verification_disabled),
    (WEBVIEW_PROCEED, trust.webview_ssl_error_proceed),
    (PIN_FAIL_OPEN, trust.pin_failure_fails_open),
    (FORGEABLE, trust.forgeable_trust_decision),
)


@dataclass(frozen=True)
class Verdict:
    """One trust finding: ``kind`` is its rule id."""

    kind: str
    shape: str
    evidence: str
    span: Span
    confidence: str | None
    variant: str | None
    language: str


def verdicts(facts: Iterable[Any]) -> list[Verdict]:
    found: list[Verdict] = []
    for fact in facts:
        if not isinstance(fact, TrustCallback):
            continue
        for rule_id, check in _CHECKS:
            rule = lookup(rule_id)
            assert rule is not None
            for finding in check(FactStore([fact]), CheckContext(today=FIXTURE_TODAY, rule=rule)):
                variant = re.search(r" \(only in the '([^']+)' build, not release\)$", finding.message)
                message = finding.message[:variant.start()] if variant else finding.message
                found.append(Verdict(rule_id, finding.subject[1], message.rsplit("; ", 1)[0], finding.span,
                                     finding.confidence, variant.group(1) if variant else None, finding.subject[0]))
    return found
