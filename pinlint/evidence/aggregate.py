"""Fan-in: inputs, one at a time, into one ``Evidence`` with a section per repository.

Inputs arrive as an iterator (files are read as they are reached, folders scanned as they are reached),
and each is reduced to records before the next is read, so memory grows with what the report shows,
not with the size of the inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from pinlint.evidence.convert import ADDERS
from pinlint.evidence.load import InputError, Loaded
from pinlint.evidence.model import Evidence, Repository
from pinlint.rules import Rule


def aggregate(
    inputs: Iterable[Loaded | InputError],
    *,
    title: str,
    today: date,
    tool_version: str,
    catalogue: Mapping[str, Rule],
    never_scanned: Iterable[str] = (),
) -> Evidence:
    """Every input in its repository's section; inputs that cannot be used are listed as problems.

    A repository takes at most one result of each kind: a second check (or inventory, or live-check)
    result with the same label is listed as a problem and not used, so no finding is counted twice.
    """
    repositories: dict[str, Repository] = {}
    seen: dict[tuple[str, str], str] = {}
    problems: list[str] = []
    for item in inputs:
        if isinstance(item, InputError):
            problems.append(str(item))
            continue
        repository = repositories.setdefault(item.label, Repository(item.label))
        clashes = [kind for kind, _document in item.documents if (item.label, kind) in seen]
        if clashes:
            first = seen[(item.label, clashes[0])]
            problems.append(f"{item.record.path}: a second {clashes[0]} result for repository '{item.label}' "
                            f"(the first is {first}); not used. Name each repository's files differently")
            continue
        repository.inputs.append(item.record)
        for kind, document in item.documents:
            seen[(item.label, kind)] = item.record.path
            ADDERS[kind](repository, document)
        if item.record.files_scanned is not None:
            repository.files_scanned = item.record.files_scanned
    ordered = sorted(repositories.values(), key=lambda repository: (repository.label.lower(), repository.label))
    cited = {finding.rule for repository in ordered for finding in repository.findings}
    rules = {rule_id: catalogue[rule_id] for rule_id in sorted(cited) if rule_id in catalogue}
    return Evidence(title=title, today=today, tool_version=tool_version, repositories=ordered, rules=rules,
                    problems=problems, never_scanned=tuple(sorted(never_scanned)))
