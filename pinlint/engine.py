"""The scan pipeline, one direction only: discover -> parse -> resolve -> check -> findings.

The engine never renders output; the CLI hands the ``ScanResult`` to a renderer.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pinlint import exclude, parsers, resolve
from pinlint.baseline import Baseline
from pinlint.context import CheckContext
from pinlint.discover import Candidate, Skipped, display_path, open_regular
from pinlint.findings import Finding
from pinlint.model import FactStore, Note, ParseError, Span
from pinlint.parsers import SourceFile
from pinlint.policy import Policy
from pinlint.rules import Rule, catalogue, lookup
from pinlint.triage import merge_notices, triage

HEAD_SIZE = 4096
#: Time one parser may spend on one file: a base plus a rate per megabyte. Real files take a small
#: fraction of it; the limit only cuts off pathological input (CFG901), so no file can stall a scan.
ANALYSIS_SECONDS_BASE = 30.0
ANALYSIS_SECONDS_PER_MB = 30.0


class AnalysisTimeout(BaseException):
    """A parser ran past its time limit on one file (a BaseException, so no `except Exception` swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``AnalysisTimeout`` in this thread after ``seconds`` (where a real-time timer is available)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise AnalysisTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class ScanOptions:
    targets: list[Path]
    today: date
    policy: Policy = field(default_factory=Policy)
    relative_to: Path = field(default_factory=Path.cwd)
    profile: str = "precommit"
    #: Worker processes for parsing; 0 means one per core. Output is identical for any value.
    jobs: int = 0
    #: Accepted findings: matches are kept, marked ``Suppression(kind="baseline")``.
    baseline: Baseline | None = None
    #: Notices found before the scan (policy files not obeyed), carried into the result.
    notices: list[Note] = field(default_factory=list)
    #: Leave low-confidence and informational findings out (the command line's precommit profile).
    hide_low_confidence: bool = False


@dataclass
class ScanResult:
    findings: list[Finding]
    rules: dict[str, Rule]
    #: Problems that are not findings: unreadable paths, internal errors (shown as notifications).
    errors: list[str]
    files_scanned: int
    skipped: list[Skipped]
    facts: FactStore
    #: Warnings that are not findings: unused or reasonless suppressions, policy files not obeyed.
    notices: list[Note] = field(default_factory=list)
    profile: str = "precommit"


class UsageError(Exception):
    """A bad rule name or option: exit code 2."""


def resolve_rule_names(names: Iterable[str]) -> set[str]:
    """Rule ids for ids, slugs or id prefixes (``PIN`` selects every pinning rule)."""
    ids: set[str] = set()
    rules = catalogue()
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        rule = lookup(name)
        if rule is not None:
            ids.add(rule.id)
            continue
        prefixed = {rule_id for rule_id in rules if rule_id.startswith(name.upper())}
        if name.upper() == "ALL":
            prefixed = set(rules)
        if not prefixed:
            raise UsageError(f"unknown rule '{name}' (see 'pinlint rules')")
        ids |= prefixed
    return ids


def active_rules(policy: Policy) -> dict[str, Rule]:
    rules = catalogue()
    selected = resolve_rule_names(policy.select) if policy.select else set(rules)
    ignored = resolve_rule_names(policy.ignore)
    return {rule_id: rule for rule_id, rule in rules.items() if rule_id in selected and rule_id not in ignored}


def read_head(path: Path) -> bytes:
    with open_regular(path) as handle:
        return handle.read(HEAD_SIZE)


def _unreadable(candidate: Candidate, error: OSError) -> list[object]:
    return [ParseError(Span(candidate.display), f"cannot read file: {error.strerror or error}")]


def parse_candidate(candidate: Candidate, max_file_size: int, context_only: bool = False) -> list[object]:
    """Every fact from one file, by every parser that claims it. Never raises.

    The file is opened once, without following a link or waiting on a FIFO, and never read past
    ``max_file_size`` bytes: a larger file is reported (CFG901) and skipped.
    """
    name = candidate.path.name
    try:
        with open_regular(candidate.path) as handle:
            head = handle.read(HEAD_SIZE)
            claiming = []
            for module_name in parsers.PARSER_MODULES:
                parser = parsers.load(module_name)
                try:
                    if parser.accepts(name, head):
                        claiming.append(parser)
                except Exception as error:  # a parser bug must not stop the scan
                    return [ParseError(Span(candidate.display), f"internal error in {parser.NAME}: {error!r}")]
            if not claiming:
                return []
            size = os.fstat(handle.fileno()).st_size
            # read one byte past the limit, so a file that grew since fstat is caught too
            data = head + handle.read(max_file_size + 1 - len(head)) if size <= max_file_size else b""
    except OSError as error:
        return _unreadable(candidate, error)
    if size > max_file_size or len(data) > max_file_size:
        return [ParseError(
            Span(candidate.display),
            f"file is {max(size, len(data))} bytes, over the {max_file_size}-byte limit; skipped "
            "(raise --max-file-size or the policy's max-file-size to scan it)",
        )]
    source = SourceFile(candidate.path, candidate.display, data, context_only=context_only)
    facts: list[object] = []
    for parser in claiming:
        triggers = parsers.triggers_of(parser)
        if triggers is not None and not any(trigger in data for trigger in triggers):
            continue
        limit = ANALYSIS_SECONDS_BASE + ANALYSIS_SECONDS_PER_MB * len(data) / 1_000_000
        try:
            with time_limit(limit):
                facts.extend(parser.parse(source))
        except AnalysisTimeout:
            facts.append(ParseError(Span(candidate.display),
                                    f"{parser.NAME}: analysis took longer than {limit:.0f} s; not analysed"))
        except parsers.InputRefused as error:
            facts.append(ParseError(Span(candidate.display), f"{parser.NAME}: {error}"))
        except RecursionError:
            facts.append(ParseError(Span(candidate.display), f"{parser.NAME}: nesting too deep to analyse"))
        except Exception as error:  # a parser bug must not stop the scan
            detail = traceback.format_exception_only(type(error), error)[-1].strip()
            facts.append(ParseError(Span(candidate.display), f"internal error in {parser.NAME}: {detail}"))
    return facts


#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200
CHUNK_SIZE = 64


def _parse_chunk(chunk: list[Candidate], max_file_size: int) -> list[list[object]]:
    return [parse_candidate(candidate, max_file_size) for candidate in chunk]


def parse_all(candidates: list[Candidate], max_file_size: int, jobs: int) -> list[list[object]]:
    """The facts of every candidate, in candidate order, parsed in ``jobs`` processes when worth it."""
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if workers <= 1 or len(candidates) < PARALLEL_THRESHOLD:
        return [parse_candidate(candidate, max_file_size) for candidate in candidates]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [candidates[start:start + CHUNK_SIZE] for start in range(0, len(candidates), CHUNK_SIZE)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    results: list[list[object]] = []
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for chunk_result in pool.map(_parse_chunk, chunks, [max_file_size] * len(chunks)):
                results.extend(chunk_result)
    except (OSError, RuntimeError):
        # No worker processes on this system (or a worker died): parse in this process instead.
        return [parse_candidate(candidate, max_file_size) for candidate in candidates]
    return results


def _context_candidates(explicit: list[Candidate], relative_to: Path) -> list[Candidate]:
    """Files that give explicitly named files their project context (pre-commit passes files alone)."""
    wanted: dict[Path, Candidate] = {}
    explicit_paths = {candidate.path.resolve() for candidate in explicit}
    for candidate in explicit:
        try:
            head = read_head(candidate.path)
        except OSError:
            continue
        for module_name in parsers.PARSER_MODULES:
            parser = parsers.load(module_name)
            finder = parsers.context_files_of(parser)
            if finder is None:
                continue
            try:
                if not parser.accepts(candidate.path.name, head):
                    continue
                for path in finder(candidate.path):
                    real = path.resolve()
                    if real not in explicit_paths and real not in wanted and path.is_file() and not path.is_symlink():
                        wanted[real] = Candidate(path, display_path(path, relative_to))
            except (OSError, ValueError):
                continue
    return list(wanted.values())


def scan(options: ScanOptions) -> ScanResult:
    policy = options.policy
    rules = active_rules(policy)
    skipped: list[Skipped] = []
    errors: list[str] = []
    relative_to = Path(os.path.abspath(options.relative_to))
    candidates = exclude.candidates(options.targets, relative_to, policy, on_skip=skipped.append)
    store = FactStore()
    for facts in parse_all(candidates, policy.max_file_size, options.jobs):
        store.extend(facts)
    explicit = [candidate for candidate in candidates if candidate.explicit]
    context_paths: set[str] = set()
    for candidate in _context_candidates(explicit, relative_to):
        context_paths.add(candidate.display)
        store.extend(parse_candidate(candidate, policy.max_file_size, context_only=True))
    store.attributes["context_paths"] = context_paths
    try:
        resolve.run_all(store)
    except Exception as error:  # keep the per-file facts even if cross-file resolution fails
        errors.append(f"internal error while resolving the project: {error!r}")
    findings: list[Finding] = []
    for rule in rules.values():
        ctx = CheckContext(today=options.today, policy=policy, rule=rule, profile=options.profile)
        try:
            produced = list(rule.load_check()(store, ctx))
        except Exception as error:
            errors.append(f"internal error in check {rule.id}: {error!r}")
            continue
        for finding in produced:
            if finding.span.path in context_paths:
                continue
            findings.append(_complete(finding, rule, policy))
    reported, notices = triage(
        _dedupe(sorted(findings, key=Finding.sort_key)), {c.display: c.path for c in candidates}, rules,
        profile=options.profile, baseline=options.baseline, max_file_size=policy.max_file_size,
        hide_low_confidence=options.hide_low_confidence)
    return ScanResult(
        findings=reported,
        rules=rules,
        errors=errors,
        files_scanned=len(candidates),
        skipped=skipped,
        facts=store,
        notices=merge_notices(options.notices, notices),
        profile=options.profile,
    )


def _complete(finding: Finding, rule: Rule, policy: Policy) -> Finding:
    from dataclasses import replace

    severity = policy.severity.get(rule.id) or policy.severity.get(rule.slug)
    return replace(
        finding,
        severity=severity or finding.severity or rule.severity,
        confidence=finding.confidence or rule.confidence,
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, int, int, str]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.rule_id, finding.span.path, finding.span.line, finding.span.col, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
