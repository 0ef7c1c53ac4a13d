"""The shared trust-callback path analysis (``codeutil.accepting_paths``) on statements a front end lowers:
answers that accept by a call, guards, and callbacks that run the platform's evaluation themselves."""

from __future__ import annotations

from collections.abc import Sequence

from pinlint.model.facts import PIN_MATCH, PIN_MISMATCH, PLATFORM_FAILED, PLATFORM_PASSED
from pinlint.parsers.code import codeutil as cu

EVALUATED = cu.atom(cu.Atom(cu.PLATFORM, "SecTrustEvaluateWithError(trust, nil)"))
PINNED = cu.atom(cu.Atom(cu.CERT, "pins.contains(hash)"))


def guards(body: Sequence[object], *, handed_verdict: bool = True) -> list[frozenset[str]]:
    return [path.guards for path in cu.accepting_paths(body, (), handed_verdict=handed_verdict)]


def test_an_answer_ends_the_path_like_a_return() -> None:
    body = [cu.If(EVALUATED, (cu.Answer(cu.TRUE, "accept"),)), cu.Answer(cu.FALSE, "cancel"),
            cu.Answer(cu.TRUE, "never reached")]
    paths = cu.accepting_paths(body, (), handed_verdict=False)
    assert [(path.guards, path.node) for path in paths] == [(frozenset({PLATFORM_PASSED}), "accept")]


def test_a_guard_leaves_when_its_condition_fails() -> None:
    body = [cu.guard(cu.negate(PINNED), [cu.Return(None)]), cu.Answer(cu.TRUE, "accept")]
    assert guards(body, handed_verdict=False) == [frozenset({PIN_MISMATCH})]


def test_an_answer_that_leaves_the_check_to_the_platform_carries_its_atom() -> None:
    default_handling = cu.atom(cu.Atom(cu.PLATFORM, "<default handling>"))
    body = [cu.If(PINNED, (cu.Answer(cu.TRUE, "accept"),)), cu.Answer(default_handling, "default")]
    paths = cu.accepting_paths(body, (), handed_verdict=False)
    assert [(path.guards, path.node) for path in paths] == [
        (frozenset({PIN_MATCH}), "accept"), (frozenset({PIN_MISMATCH, PLATFORM_PASSED}), "default")]
    assert [value for _atom, value in paths[1].literals] == [False, True]


def test_a_callback_handed_the_verdict_still_gets_the_error_scenarios() -> None:
    body = [cu.Return(cu.TRUE)]
    assert guards(body) == [frozenset({PLATFORM_PASSED})]
    assert cu.accepting_paths(body, [(1, "")])[1].guards == frozenset({PLATFORM_FAILED})
