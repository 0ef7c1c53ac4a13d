"""The scan pipeline, one direction only: discover -> parse -> resolve -> check -> triage.

Entry point: ``run(ScanInputs(paths=[...], today=...)) -> ScanResult``. Every command that looks at a
project (``check``, ``baseline``, ``inventory``, ``chain-check``, and the report, live check and editor
server) gets its facts and findings from ``run``; none walks or parses on its own. The pipeline never
renders output; the CLI hands the ``ScanResult`` to a renderer.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pinlint import parsers, resolve
from pinlint.checks.context import CheckContext
from pinlint.config.loader import is_config_file
from pinlint.config.policy import Policy
from pinlint.discover import archives, exclude
from pinlint.discover.source_lines import quote_lines
from pinlint.discover.walk import Candidate, Skipped, display_path, open_regular
from pinlint.model.facts import AndroidResources, FactStore, NotAnalysed, Note, ParseError, Span
from pinlint.model.findings import Finding
from pinlint.model.result import ScanResult, Unreadable
from pinlint.parsers import SourceFile
from pinlint.rules import Rule, UsageError, active_rules, resolve_rule_names
from pinlint.triage import artifacts, suppress
from pinlint.triage.profiles import in_test_sources, merge_notices, triage
from pinlint.triage.suppress import Directive
from pinlint.vocab import testcode

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from pinlint.triage.baseline import Baseline

__all__ = [
    "ScanInputs", "ScanOptions", "ScanResult", "UsageError", "active_rules", "examine", "overlay_key",
    "parse_candidate", "resolve_rule_names", "run", "scan",
]

HEAD_SIZE = 4096
#: Time one parser may spend on one file: a base plus a rate per megabyte. Real files take a small
#: fraction of it; the limit only cuts off pathological input (CFG901), so no file can stall a scan.
ANALYSIS_SECONDS_BASE = 30.0
ANALYSIS_SECONDS_PER_MB = 30.0
#: Files smaller than this are prefiltered without arming the time limit (see ``_wanting``).
UNTIMED_PREFILTER_BYTES = 1_000_000


class AnalysisTimeout(BaseException):
    """A parser ran past its time limit on one file (a BaseException, so no `except Exception` swallows it)."""


def _expire(_signum: int, _frame: object) -> None:
    raise AnalysisTimeout


#: True while ``alarm_handler`` has the time-limit handler installed (then ``time_limit`` only sets the timer).
_handler_installed = False


def _timer_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def alarm_handler() -> Iterator[None]:
    """Install the time-limit handler once around many ``time_limit`` calls (the members of an archive, which
    are thousands of small files): each limit then costs only the timer."""
    global _handler_installed
    if _handler_installed or not _timer_usable():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    _handler_installed = True
    try:
        yield
    finally:
        _handler_installed = False
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``AnalysisTimeout`` in this thread after ``seconds`` (where a real-time timer is available)."""
    if not _timer_usable():
        yield
        return
    with alarm_handler():
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)


@dataclass
class ScanInputs:
    """Everything one scan depends on. Build it, call ``run``; every command that looks at a project does.

    ``paths`` are files and folders; folders are walked (policy excludes and the built-in excluded folders
    applied, links never followed), files are scanned as named. ``relative_to`` is the folder findings'
    paths are shown relative to. ``context_files`` are read for their project context only (a manifest
    for a staged config): their facts join the scan, findings in them are never reported; the context
    of every file named alone in ``paths`` is added by discovery without asking. ``overlays`` replace the
    bytes of scanned files (an editor's unsaved buffers), keyed by the path as discovery finds it
    (absolute, see ``overlay_key``); the file must still exist for discovery to find it.
    """

    paths: list[Path]
    today: date
    policy: Policy = field(default_factory=Policy)
    profile: str = "precommit"
    relative_to: Path = field(default_factory=Path.cwd)
    context_files: list[Path] = field(default_factory=list)
    overlays: Mapping[str, bytes] = field(default_factory=dict)
    #: Worker processes for parsing; 0 means one per core. Output is identical for any value.
    jobs: int = 0
    #: Accepted findings: matches are kept, marked ``Suppression(kind="baseline")``.
    baseline: Baseline | None = None
    #: Notices found before the scan (policy files not obeyed), carried into the result.
    notices: list[Note] = field(default_factory=list)
    #: Leave low-confidence and informational findings out (the command line's precommit profile).
    hide_low_confidence: bool = False
    #: Show findings in test code only (one severity lower, tagged ``test``) instead of leaving them out.
    include_tests: bool = False


def overlay_key(path: Path) -> str:
    """The key ``ScanInputs.overlays`` uses for ``path``: its absolute form, links not resolved."""
    return os.path.abspath(path)


def ScanOptions(targets: list[Path], today: date, **values: Any) -> ScanInputs:
    """The older name of ``ScanInputs`` (``targets`` for ``paths``), kept for existing callers."""
    return ScanInputs(paths=targets, today=today, **values)


def read_head(path: Path) -> bytes:
    with open_regular(path) as handle:
        return handle.read(HEAD_SIZE)


@dataclass
class FileResult:
    """What one file gave: its facts, and its ``pinlint: ignore[...]`` directives (read in the same pass)."""

    facts: list[object] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    #: Test code a grammar would have read, left unparsed (``examine_all``'s ``leave_out``).
    test_code_not_analysed: bool = False


def _unreadable(display: str, error: OSError) -> FileResult:
    return FileResult([ParseError(Span(display), f"cannot read file: {error.strerror or error}")])


def _claiming(possible: list[parsers.ParserModule], name: str, head: bytes,
              display: str) -> list[parsers.ParserModule] | FileResult:
    claiming: list[parsers.ParserModule] = []
    for parser in possible:
        try:
            if parser.accepts(name, head):
                claiming.append(parser)
        except Exception as error:  # a parser bug must not stop the scan
            return FileResult([ParseError(Span(display), f"internal error in {parser.NAME}: {error!r}")])
    return claiming


@dataclass
class Pending:
    """A file read and prefiltered, whose parsing is left: ``parsers`` are the module names of the claiming
    parsers whose triggers it holds, in claiming order (``result`` already holds the directives and any
    prefilter error)."""

    source: SourceFile
    parsers: tuple[str, ...]
    result: FileResult

    def size(self) -> int:
        return len(self.source.data)


def examine(candidate: Candidate, max_file_size: int, context_only: bool = False,
            directives: bool = False, overlay: bytes | None = None,
            leave_out: Callable[[str], bool] | None = None) -> FileResult:
    """Every fact from one file, by every parser that claims it, reading the file once. Never raises.

    ``prepare`` reads and prefilters the file, ``finish`` parses what is left; the pool runs the two in
    different processes (``examine_all``). ``leave_out``: see ``examine_all``.
    """
    return finish(_leaving_out(prepare(candidate, max_file_size, context_only, directives, overlay), leave_out))


def finish(prepared: FileResult | Pending) -> FileResult:
    """The facts of a prepared file: parsed by the parsers its prefilter kept. Never raises."""
    if isinstance(prepared, FileResult):
        return prepared
    result = prepared.result
    result.facts.extend(parse_source(prepared.source, [parsers.load(name) for name in prepared.parsers],
                                     prefiltered=True))
    return result


def prepare(candidate: Candidate, max_file_size: int, context_only: bool = False,
            directives: bool = False, overlay: bytes | None = None) -> FileResult | Pending:
    """One file read once and prefiltered: its whole result when no parser needs to parse it, else the
    parsing left (``Pending``). Never raises.

    The file is opened once, without following a link or waiting on a FIFO, and never read past
    ``max_file_size`` bytes: a larger file is reported (CFG901) and skipped. With ``directives`` the
    file's suppression comments are read too, from the same bytes. A file no parser claims is read no
    further than its head, and one no parser may claim by its name is not opened: nothing can be found
    in it, so no comment in it can suppress anything. ``overlay`` replaces the file's bytes (an editor
    buffer): the file is then not read at all.
    """
    display = candidate.display
    name = candidate.name
    if archives.is_archive(name) or archives.unread_reason(name):
        return FileResult(examine_archive(candidate, max_file_size, context_only))
    possible = parsers.candidates_for(name)
    if not possible:
        return FileResult()
    wants_directives = directives and suppress.may_hold_directives(display)
    if overlay is not None:
        claimed = _claiming(possible, name, overlay[:HEAD_SIZE], display)
        if isinstance(claimed, FileResult):
            return claimed
        claiming, size, data = claimed, len(overlay), overlay
        limit = parsers.file_limit(claiming, max_file_size, archives.DEFAULT_LIMITS.max_member_bytes)
        if not claiming:
            return FileResult()
    else:
        try:
            with open_regular(candidate.location) as handle:
                head = handle.read(HEAD_SIZE)
                claimed = _claiming(possible, name, head, display)
                if isinstance(claimed, FileResult):
                    return claimed
                claiming = claimed
                if not claiming:
                    return FileResult()
                limit = parsers.file_limit(claiming, max_file_size, archives.DEFAULT_LIMITS.max_member_bytes)
                size = os.fstat(handle.fileno()).st_size
                data = b""
                if size <= limit:
                    # read one byte past the limit, so a file that grew since fstat is caught too
                    data = head if len(head) < HEAD_SIZE else head + handle.read(limit + 1 - len(head))
        except OSError as error:
            return _unreadable(display, error)
    if size > limit or len(data) > limit:
        return FileResult([ParseError(
            Span(display),
            f"file is {max(size, len(data))} bytes, over the {limit}-byte limit; skipped "
            "(raise --max-file-size or the policy's max-file-size to scan it)",
        )])
    result = FileResult(directives=suppress.directives_in(display, data) if wants_directives else [])
    wanted = _wanting(data, display, claiming, result.facts)
    if not wanted:
        return result
    source = SourceFile(candidate.path, display, data, context_only=context_only, thorough=candidate.thorough)
    return Pending(source, tuple(parser.__name__ for parser in wanted), result)  # type: ignore[attr-defined]


def _limit(data: bytes) -> float:
    return ANALYSIS_SECONDS_BASE + ANALYSIS_SECONDS_PER_MB * len(data) / 1_000_000


def _wanting(data: bytes, display: str, claiming: list[parsers.ParserModule], facts: list[object]) -> list[
        parsers.ParserModule]:
    """The claiming parsers whose prefilter keeps the file ``data``; a prefilter that runs past the file's time
    limit becomes a ``ParseError`` in ``facts``."""
    wanted: list[parsers.ParserModule] = []
    for parser in claiming:
        prefilter = parsers.prefilter_of(parser)
        if prefilter is None:
            wanted.append(parser)
            continue
        if len(data) < UNTIMED_PREFILTER_BYTES:
            # the trigger search is linear in the bytes: on a small file it takes milliseconds against a
            # limit of tens of seconds, and arming a timer for each of thousands of files costs more
            if prefilter.wants(data):
                wanted.append(parser)
            continue
        limit = _limit(data)
        try:
            with time_limit(limit):  # the trigger search counts against the file's time too
                if prefilter.wants(data):
                    wanted.append(parser)
        except AnalysisTimeout:
            facts.append(ParseError(Span(display),
                                    f"{parser.NAME}: analysis took longer than {limit:.0f} s; not analysed"))
    return wanted


def parse_source(source: SourceFile, claiming: list[parsers.ParserModule],
                 prefiltered: bool = False) -> list[object]:
    """The facts every claiming parser finds in ``source``, each within its time limit. Never raises.

    ``prefiltered``: the parsers are those whose prefilter already kept the file (``prepare``)."""
    display = source.display
    data = source.data
    facts: list[object] = []
    for parser in claiming:
        prefilter = None if prefiltered else parsers.prefilter_of(parser)
        limit = _limit(data)
        try:
            with time_limit(limit):  # the trigger search counts against the file's time too
                if prefilter is not None and not prefilter.wants(data):
                    continue
                facts.extend(parser.parse(source))
        except AnalysisTimeout:
            facts.append(ParseError(Span(display),
                                    f"{parser.NAME}: analysis took longer than {limit:.0f} s; not analysed"))
        except parsers.InputRefused as error:
            facts.append(ParseError(Span(display), f"{parser.NAME}: {error}"))
        except RecursionError:
            facts.append(ParseError(Span(display), f"{parser.NAME}: nesting too deep to analyse"))
        except Exception as error:  # a parser bug must not stop the scan
            detail = traceback.format_exception_only(type(error), error)[-1].strip()
            facts.append(ParseError(Span(display), f"internal error in {parser.NAME}: {detail}"))
        finally:
            parsers.release()
    return facts


def examine_archive(candidate: Candidate, max_file_size: int, context_only: bool = False) -> list[object]:
    """Every fact from the members of an archive (``pinlint.discover.archives``), read in memory; its problems as
    ``ParseError`` facts (CFG901). Never raises. Directives inside an archive are never read."""
    display = candidate.display
    reason = archives.unread_reason(candidate.name)
    if reason is not None:
        return [archives.ArchiveNotice(display, f"{display} is {reason}; not read")]

    def wants(member: str) -> bool:
        return member.endswith(resources.TABLE_NAME) or bool(parsers.candidates_for(member.rsplit("/", 1)[-1]))

    def member_limit(member: str) -> int:
        return max(max_file_size, archives.DEFAULT_LIMITS.max_member_bytes) if parsers.is_binary_member(
            member) else max_file_size

    archive_path = candidate.path

    def parse_member(shown: str, name: str, data: bytes) -> list[object]:
        base = name.rsplit("/", 1)[-1]
        head = data[:HEAD_SIZE]
        claiming = [parser for parser in parsers.candidates_for(base)
                    if parsers.reads(parser, head) and _accepts(parser, base, head)]
        source = SourceFile(archives.virtual_path(archive_path, shown), shown, data, context_only=context_only,
                            thorough=candidate.thorough)
        return parse_source(source, claiming)

    from pinlint.parsers.binary import resources

    compiled = resources.CompiledResources()
    facts: list[object] = []
    try:
        with open_regular(candidate.location) as handle, alarm_handler():
            for item in archives.members(handle, display, wants, member_limit=member_limit):
                if isinstance(item, archives.ArchiveProblem):
                    facts.append(ParseError(Span(item.display), item.reason))
                elif not compiled.take(item.display, item.name, item.data):
                    facts.extend(parse_member(item.display, item.name, item.data))
    except OSError as error:
        return _unreadable(display, error).facts
    for shown, name, text, reason in compiled.decoded():
        facts.extend(parse_member(shown, name, text) if text is not None else [ParseError(Span(shown), reason)])
    return facts


def _accepts(parser: parsers.ParserModule, name: str, head: bytes) -> bool:
    try:
        return parser.accepts(name, head)
    except Exception:  # a parser bug must not stop the scan
        return False


def parse_candidate(candidate: Candidate, max_file_size: int, context_only: bool = False,
                    overlay: bytes | None = None) -> list[object]:
    """Every fact from one file, by every parser that claims it. Never raises."""
    return examine(candidate, max_file_size, context_only, overlay=overlay).facts


#: Bytes of kept files (those a parser's prefilter sends to it) below which starting worker processes
#: costs more than parsing them here.
PARALLEL_BYTES = 1_000_000
#: Kept files below which the pool is not started either.
PARALLEL_FILES = 4


#: The files of the scan in progress left to parse, inherited by forked workers instead of being sent.
_shared: list[Pending] = []


#: The parsers whose files test code may leave unparsed: the languages. Configuration in a test folder (a
#: test manifest, a test network security config) is always read: the Android model places it.
CODE_PARSERS = "pinlint.parsers.code."


def _leaving_out(prepared: FileResult | Pending, leave_out: Callable[[str], bool] | None) -> FileResult | Pending:
    """``prepared``, or its result without parsing when only code parsers are left and ``leave_out`` says the
    file is test code: what test code alone yields is left out of the report anyway (``triage``)."""
    if (leave_out is None or not isinstance(prepared, Pending)
            or not all(name.startswith(CODE_PARSERS) for name in prepared.parsers)
            or not leave_out(prepared.source.display)):
        return prepared
    prepared.result.test_code_not_analysed = True
    return prepared.result


def _examine_chunk(chunk: list[Candidate], max_file_size: int, directives: bool,
                   overlays: Mapping[str, bytes] | None = None,
                   leave_out: Callable[[str], bool] | None = None) -> list[FileResult]:
    if not overlays:
        return [examine(candidate, max_file_size, directives=directives, leave_out=leave_out) for candidate in chunk]
    return [examine(candidate, max_file_size, directives=directives, overlay=overlays.get(overlay_key(candidate.path)),
                    leave_out=leave_out)
            for candidate in chunk]


def _finish_shared(index: int) -> list[object]:
    pending = _shared[index]
    return parse_source(pending.source, [parsers.load(name) for name in pending.parsers], prefiltered=True)


def _finish_sent(pending: Pending) -> list[object]:
    return parse_source(pending.source, [parsers.load(name) for name in pending.parsers], prefiltered=True)


def examine_all(candidates: list[Candidate], max_file_size: int, jobs: int,
                directives: bool = False, overlays: Mapping[str, bytes] | None = None,
                leave_out: Callable[[str], bool] | None = None) -> list[FileResult]:
    """What every candidate gave, in candidate order, the parsing done in ``jobs`` processes when worth it.

    This process reads and prefilters every file (``prepare``); only the files a parser keeps go to the
    workers, largest first, and only when they add up to ``PARALLEL_BYTES``: most files of a tree never
    reach a grammar, and forking costs more than parsing a few. Results are put back in candidate order,
    so the report is the same for any ``jobs``. With ``overlays`` (editor buffers: few files,
    interactive) the scan stays in this process. ``leave_out`` names test code (by display path) that no
    grammar need read: such a file is prefiltered, its suppression comments read, but it is not parsed,
    and its result says so."""
    global _shared
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if workers <= 1 or overlays:
        return _examine_chunk(candidates, max_file_size, directives, overlays, leave_out)
    prepared = [_leaving_out(prepare(candidate, max_file_size, directives=directives), leave_out)
                for candidate in candidates]
    left = [item for item in prepared if isinstance(item, Pending)]
    if len(left) < PARALLEL_FILES or sum(item.size() for item in left) < PARALLEL_BYTES:
        return [finish(item) for item in prepared]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Import the parsers once, here: forked workers inherit them instead of each importing.
    for name in {name for item in left for name in item.parsers}:
        parsers.load(name)
    order = sorted(range(len(left)), key=lambda index: -left[index].size())
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    facts: dict[int, list[object]] = {}
    previous_hook = threading.excepthook
    threading.excepthook = _quiet_when_abandoned(previous_hook)
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(left)), mp_context=context,
                                 initializer=_worker_signals) as pool:
            try:
                if fork:
                    _shared = left
                    parsed = pool.map(_finish_shared, order)
                else:
                    parsed = pool.map(_finish_sent, [left[index] for index in order])
                for index, found in zip(order, parsed, strict=True):
                    facts[index] = found
            except BaseException as error:
                if not isinstance(error, Exception):  # Ctrl-C or SIGTERM: stop now, not after every file
                    _stop_workers(pool)
                raise
    except (OSError, RuntimeError):
        # No worker processes on this system (or a worker died): parse in this process instead.
        return [finish(item) for item in prepared]
    finally:
        _shared = []
        if threading.excepthook is not _abandoned_thread:  # not interrupted: the scan goes on
            threading.excepthook = previous_hook
    for index, item in enumerate(left):
        item.result.facts.extend(facts[index])
    return [item if isinstance(item, FileResult) else item.result for item in prepared]


def _worker_signals() -> None:
    """Workers leave Ctrl-C and SIGTERM to their parent, which stops them: no traceback from a worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _quiet_when_abandoned(previous: Callable[[threading.ExceptHookArgs], object]
                          ) -> Callable[[threading.ExceptHookArgs], None]:
    """A thread hook for the pool's lifetime. When a signal kills the workers (SIGTERM reaches the whole
    process group) while ``map`` is cancelling its futures, the executor's thread fails those futures and
    raises InvalidStateError: the scan is ending, so that is not reported. Anything else still is."""
    from concurrent.futures import InvalidStateError

    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not None and issubclass(args.exc_type, InvalidStateError):
            return
        previous(args)

    return hook


def _abandoned_thread(_args: threading.ExceptHookArgs) -> None:
    """An exception in a thread of an interrupted scan, which is ending: nothing to report."""


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    processes: dict[int, Any] = getattr(pool, "_processes", None) or {}  # (shutdown forgets them)
    for process in list(processes.values()):
        process.terminate()
    # The scan is abandoned: the executor's thread, failing the futures ``map`` has cancelled, raises
    # InvalidStateError, which would be printed as a traceback. Silence threads from here to the exit.
    threading.excepthook = _abandoned_thread
    # Wait for that thread to see its workers gone (at once), so none is left to complain at exit.
    for process in list(processes.values()):
        process.join(5)
    pool.shutdown(wait=True)


def parse_all(candidates: list[Candidate], max_file_size: int, jobs: int) -> list[list[object]]:
    """The facts of every candidate, in candidate order, parsed in ``jobs`` processes when worth it."""
    return [result.facts for result in examine_all(candidates, max_file_size, jobs)]


def _context_candidates(explicit: list[Candidate], named: list[Path], relative_to: Path,
                        overlays: Mapping[str, bytes] | None = None) -> list[Candidate]:
    """Files that give explicitly named files their project context (pre-commit passes files alone),
    and the context files the caller named. A named file's kind is judged from its overlay when it has one."""
    wanted: dict[Path, Candidate] = {}
    explicit_paths = {candidate.path.resolve() for candidate in explicit}
    for path in named:
        real = path.resolve()
        if real not in explicit_paths and real not in wanted and path.is_file() and not path.is_symlink():
            wanted[real] = Candidate(os.path.abspath(path), display_path(Path(os.path.abspath(path)),
                                                                              relative_to))
    for candidate in explicit:
        in_memory = overlays.get(overlay_key(candidate.path)) if overlays else None
        try:
            head = in_memory[:HEAD_SIZE] if in_memory is not None else read_head(candidate.path)
        except OSError:
            continue
        for parser in parsers.candidates_for(candidate.path.name):
            finder = parsers.context_files_of(parser)
            if finder is None:
                continue
            try:
                if not parser.accepts(candidate.path.name, head):
                    continue
                for path in finder(candidate.path):
                    real = path.resolve()
                    if real not in explicit_paths and real not in wanted and path.is_file() and not path.is_symlink():
                        wanted[real] = Candidate(str(path), display_path(path, relative_to))
            except (OSError, ValueError):
                continue
    return list(wanted.values())


def run(inputs: ScanInputs) -> ScanResult:
    """One scan: discover -> parse -> resolve -> check -> triage. The only way a command gets facts and
    findings (``check``, ``baseline``, ``inventory``, ``chain-check``, and every later command).

    The result holds the resolved facts (``ScanResult.facts``) and the reported findings. Never raises
    for bad input in the scanned tree (that becomes CFG901/CFG902 findings or ``errors``); raises
    ``UsageError`` for a rule name the catalogue does not know.
    """
    policy = inputs.policy
    rules = active_rules(policy.select, policy.ignore)
    skipped: list[Skipped] = []
    errors: list[str] = []
    relative_to = Path(os.path.abspath(inputs.relative_to))
    folders_left_out: list[Skipped] = []
    candidates = exclude.candidates(inputs.paths, relative_to, policy, on_skip=skipped.append,
                                    vendored=inputs.profile == "audit" or policy.include_vendored,
                                    on_folder=folders_left_out.append)
    if inputs.profile == "audit":
        candidates = [replace(candidate, thorough=True) for candidate in candidates]
    store = FactStore()
    directives: dict[str, list[Directive]] = {}
    #: The files that gave facts: only they can hold a finding, so only they are judged test or mock code.
    with_facts: set[str] = set()
    roots = [display_path(Path(os.path.abspath(target)), relative_to) for target in inputs.paths
             if Path(target).is_dir()]
    test_code_not_analysed = 0
    for candidate, result in zip(candidates, examine_all(candidates, policy.max_file_size, inputs.jobs,
                                                         directives=True, overlays=inputs.overlays,
                                                         leave_out=_test_code_left_out(inputs, roots)), strict=True):
        test_code_not_analysed += result.test_code_not_analysed
        if result.facts:
            store.extend(result.facts)
            with_facts.add(candidate.display)
        if result.directives:
            directives[candidate.display] = result.directives
    explicit = [candidate for candidate in candidates if candidate.explicit]
    context_paths: set[str] = set()
    context_files: dict[str, Path] = {}
    for candidate in _context_candidates(explicit, inputs.context_files, relative_to, inputs.overlays):
        context_paths.add(candidate.display)
        context_files[candidate.display] = candidate.path
        store.extend(parse_candidate(candidate, policy.max_file_size, context_only=True,
                                     overlay=inputs.overlays.get(overlay_key(candidate.path))))
    store.attributes["context_paths"] = context_paths
    store.extend(_android_resources(store))
    store.attributes["test_paths"] = test_paths = {
        display for display in with_facts | context_paths if testcode.is_test_source(display, roots)}
    store.attributes["mock_paths"] = {display for display in with_facts if testcode.is_mock_source(display, roots)}
    checked = _resolve_and_check(store, rules, inputs, context_paths, errors) if len(store) else []
    findings = _dedupe(sorted(checked, key=Finding.sort_key))
    reported, notices = triage(
        findings, [c.display for c in candidates], rules,
        profile=inputs.profile, baseline=inputs.baseline,
        hide_low_confidence=inputs.hide_low_confidence, directives=directives,
        test_paths=test_paths, include_tests=inputs.include_tests,
        over_folders=any(Path(target).is_dir() for target in inputs.paths),
        policy_files=[c.display for c in candidates if is_config_file(c.location)] if inputs.profile == "audit" else ())
    if policy.artifacts:
        reported, artifact_notes = artifacts.apply(reported, policy.artifacts)
        notices = [*notices, *artifact_notes]
    tests_left_out = 0 if inputs.include_tests else sum(
        1 for finding in findings if in_test_sources(finding, test_paths))
    return ScanResult(
        findings=reported,
        rules=rules,
        errors=errors,
        files_scanned=len(candidates),
        skipped=skipped,
        facts=store,
        notices=merge_notices(inputs.notices, [
            *_folder_notices(folders_left_out, inputs.profile),
            *_unanalysed_notices(store.of(NotAnalysed)),
            *notices, *(Note(Span(notice.display), notice.text) for notice in store.of(archives.ArchiveNotice))]),
        profile=inputs.profile,
        today=inputs.today,
        policy=policy,
        tests_left_out=tests_left_out,
        test_files_not_analysed=test_code_not_analysed,
        source_lines=quote_lines(reported, {**_reported_paths(reported, candidates), **context_files},
                                 inputs.overlays),
        unreadable=_unreadable_files(store),
    )


def _test_code_left_out(inputs: ScanInputs, roots: list[str]) -> Callable[[str], bool] | None:
    """Which files the precommit profile leaves unparsed as test code (``pinlint.vocab.testcode``), or None.

    Test code is not shipped: a finding whose every location is in it is left out of every report unless
    ``include_tests`` shows it. The precommit profile, which must answer at once, therefore does not parse it
    and counts the files instead; the audit profile and ``include_tests`` parse everything.
    """
    if inputs.profile != "precommit" or inputs.include_tests:
        return None
    return lambda display: testcode.is_test_source(display, roots)


def _reported_paths(findings: list[Finding], candidates: list[Candidate]) -> dict[str, Path]:
    """The files the findings are in (display path -> file), for quoting their lines."""
    shown = {finding.span.path for finding in findings}
    return {candidate.display: candidate.path for candidate in candidates if candidate.display in shown}


#: Folders named in one notice; the rest are counted.
FOLDERS_NAMED = 50


def _folder_notices(folders: list[Skipped], profile: str) -> list[Note]:
    """One notice per reason, naming each folder the walk left out for its name (``discover.scope``)."""
    by_reason: dict[str, list[str]] = {}
    for folder in folders:
        by_reason.setdefault(folder.reason, []).append(folder.display)
    notes: list[Note] = []
    for reason, shown in by_reason.items():
        named = ", ".join(shown[:FOLDERS_NAMED]) + (f" and {len(shown) - FOLDERS_NAMED} more"
                                                    if len(shown) > FOLDERS_NAMED else "")
        plural = "s" if len(shown) != 1 else ""
        if reason == "vendored or generated":
            how = ("--include-vendored or include-vendored: true in the policy scans them; "
                   "--profile audit scans them all")
            notes.append(Note(Span(""), f"{len(shown)} vendored or generated folder{plural} not scanned by the "
                                        f"{profile} profile: {named} ({how})"))
        else:
            notes.append(Note(Span(""), f"{len(shown)} folder{plural} of {reason} not scanned: {named}"))
    return notes


def _unanalysed_notices(facts: list[NotAnalysed]) -> list[Note]:
    """One notice per reason, naming each file a parser chose not to analyse."""
    by_reason: dict[str, list[str]] = {}
    for fact in facts:
        by_reason.setdefault(fact.reason, []).append(fact.span.path)
    notes: list[Note] = []
    for reason, shown in by_reason.items():
        named = ", ".join(shown[:FOLDERS_NAMED]) + (f" and {len(shown) - FOLDERS_NAMED} more"
                                                    if len(shown) > FOLDERS_NAMED else "")
        notes.append(Note(Span(""), f"{len(shown)} file{'s' if len(shown) != 1 else ''} {reason}: {named}"))
    return notes


#: The older name of ``run``, kept for existing callers.
scan = run


def _unreadable_files(store: FactStore) -> list[Unreadable]:
    """The files the scan could not read, each with the rule the checks report it under."""
    errors = store.of(ParseError)
    if not errors:
        return []
    from pinlint.checks.config import unreadable_rule

    return [Unreadable(unreadable_rule(error), error.span, error.reason, error.unsafe) for error in errors]


def _android_resources(store: FactStore) -> list[AndroidResources]:
    """Discovery's listing of the resource folders of the scan's Android modules, which resolution reads
    instead of the disk. Nothing is imported or listed for a scan without Android facts: their model is
    loaded by the parsers that make them, so a scan that never loaded it has none."""
    if not len(store) or resolve.NEEDS_MODEL["pinlint.resolve.android"] not in sys.modules:
        return []
    from pinlint.discover import android as android_listing
    from pinlint.resolve.android import module_folders

    return android_listing.module_resources(module_folders(store))


def _resolve_and_check(
    store: FactStore, rules: dict[str, Rule], options: ScanInputs, context_paths: set[str], errors: list[str],
) -> list[Finding]:
    """Cross-file resolution, then every active check. Skipped when no file gave a fact (most one-file
    pre-commit runs): no check reports anything without facts (``tests/pipeline/test_parallel.py``)."""
    policy = options.policy
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
    return findings


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


@dataclass(frozen=True)
class FileStatus:
    """One file or folder a scan meets: ``scanned`` (``reason`` names the readers that claim it) or left
    out, and why (``check --show-files``)."""

    display: str
    scanned: bool
    reason: str


def list_files(inputs: ScanInputs) -> list[FileStatus]:
    """What ``run(inputs)`` would read and what it would leave out, with the reason for each, without
    parsing anything: the same discovery, then each file's readers decided from its name and first bytes."""
    policy = inputs.policy
    relative_to = Path(os.path.abspath(inputs.relative_to))
    statuses: list[FileStatus] = []

    def left_out(skipped: Skipped) -> None:
        statuses.append(FileStatus(skipped.display, False, skipped.reason))

    for candidate in exclude.candidates(inputs.paths, relative_to, policy, on_skip=left_out, on_excluded=left_out):
        name = candidate.name
        if archives.is_archive(name) or archives.unread_reason(name):
            reason = archives.unread_reason(name)
            statuses.append(FileStatus(candidate.display, reason is None, reason or "archive: members are read"))
            continue
        possible = parsers.candidates_for(name)
        if not possible:
            statuses.append(FileStatus(candidate.display, False, "no reader for this kind of file"))
            continue
        try:
            with open_regular(candidate.location) as handle:
                head = handle.read(HEAD_SIZE)
                size = os.fstat(handle.fileno()).st_size
        except OSError as error:
            statuses.append(FileStatus(candidate.display, False, f"cannot read: {error.strerror or error}"))
            continue
        claimed = _claiming(possible, name, head, candidate.display)
        if isinstance(claimed, FileResult):
            statuses.append(FileStatus(candidate.display, False, "a reader failed on its first bytes"))
        elif not claimed:
            statuses.append(FileStatus(candidate.display, False, "no reader claims its content"))
        elif size > policy.max_file_size:
            statuses.append(FileStatus(candidate.display, False,
                                       f"{size} bytes, over max-file-size {policy.max_file_size} (reported as CFG901)"))
        else:
            statuses.append(FileStatus(candidate.display, True, ", ".join(parser.NAME for parser in claimed)))
    return statuses
