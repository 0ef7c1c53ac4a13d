"""From presented chains to the live-check result: the shared chain judgement for each host that answered,
one line for each that did not, and the summary a team reads first.

Opens no connection and reads no file of its own: the CLI hands it the scan's facts, the chains ``connect`` read, the
trust store and the recorded baseline.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from cryptography import x509

from pinlint.certs.chaincheck import ChainJudgement, Problem, judge_chain
from pinlint.certs.drift import RecordedCert
from pinlint.certs.mechanisms import mechanisms_for_host
from pinlint.certs.x509info import CertInfo, describe
from pinlint.live.targets import Target
from pinlint.model.facts import FactStore, Span
from pinlint.model.findings import severity_rank

if TYPE_CHECKING:
    from pinlint.live.connect import Presented


@dataclass
class HostResult:
    """One host: where it was reached, what it presented and pinlint's judgement, or why it could not."""

    target: Target
    peer: str
    error: str | None
    judgement: ChainJudgement | None
    problems: list[Problem] = field(default_factory=list)
    #: The first pin set for the host in the tree: where a finding about the host itself is shown.
    source: Span | None = None


@dataclass
class LiveResult:
    hosts: list[HostResult]
    #: Pinned patterns (``*.example.com``, subdomains) that need a concrete ``--host`` to be checked.
    needs_host: list[str]
    today: date
    warn_days: int
    trust_store: str
    baseline: bool

    def failing(self, fail_on: str) -> list[tuple[HostResult, Problem]]:
        threshold = severity_rank(fail_on)
        return [(host, problem) for host in self.hosts for problem in host.problems
                if severity_rank(problem.severity) >= threshold]


def _chain_infos(chain: Sequence[bytes]) -> list[CertInfo]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # odd serial numbers in old certificates: not the user's concern
        return [describe(x509.load_der_x509_certificate(der)) for der in chain]


def _first_pin_set(facts: FactStore, host: str) -> Span | None:
    spans = [pin_set.span for mechanism in mechanisms_for_host(facts, host) for pin_set in mechanism.pin_sets]
    spans += [m.anchors.span for m in mechanisms_for_host(facts, host) if m.anchors is not None]
    return min(spans, key=lambda span: (span.path, span.line)) if spans else None


def judge_host(facts: FactStore, presented: Presented, today: date, *, warn_days: int, roots: list[CertInfo],
               moment: datetime | None, recorded: list[RecordedCert] | None) -> HostResult:
    target = presented.target
    source = _first_pin_set(facts, target.host)
    if presented.error is not None:
        problem = Problem("unreachable", presented.error)
        return HostResult(target, presented.peer, presented.error, None, [problem], source)
    try:
        chain = _chain_infos(presented.chain)
    except (ValueError, TypeError) as error:
        message = f"the server presented a certificate that cannot be read: {error}"
        return HostResult(target, presented.peer, message, None, [Problem("unreachable", message)], source)
    judgement = judge_chain(facts, target.host, chain, today, warn_days=warn_days, roots=roots, moment=moment,
                            recorded=recorded)
    problems = list(judgement.problems)
    if presented.leaf_only_reader:
        problems.append(Problem("chain-unread", "this Python can read only the leaf the server sent; the rest "
                                               "of the chain was not judged"))
    return HostResult(target, presented.peer, None, judgement, problems, source)


def live_result(facts: FactStore, presented: Sequence[Presented], today: date, *, warn_days: int,
                roots: list[CertInfo], trust_store: str, needs_host: list[str],
                baseline: dict[str, list[RecordedCert]] | None, moment: datetime | None = None) -> LiveResult:
    hosts = [judge_host(facts, item, today, warn_days=warn_days, roots=roots, moment=moment,
                        recorded=(baseline or {}).get(item.target.label)) for item in presented]
    return LiveResult(hosts, needs_host, today, warn_days, trust_store, baseline is not None)

