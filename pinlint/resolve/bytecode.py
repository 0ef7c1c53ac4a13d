"""Compiled code across classes: trust managers that inherit a trust-all ``checkServerTrusted``, and how sure
each compiled trust finding is.

A class found only in compiled code is judged by what the binary shows: a trust-all manager or verifier that
some method of the scan also creates and installs (``SSLContext.init``, ``sslSocketFactory``,
``setDefaultSSLSocketFactory``, ``setHostnameVerifier``...) is reported with high confidence; one that is only
defined stays at medium (it may be dead code of the SDK). A class that extends a trust-all manager without
overriding ``checkServerTrusted`` accepts every chain too.
"""

from __future__ import annotations

from dataclasses import replace

from pinlint.discover.archives import MEMBER_SEPARATOR
from pinlint.model.bytecode import ORIGIN, PLATFORM, CompiledClass
from pinlint.model.facts import HOSTNAME, SERVER_TRUST, FactStore, Span, TrustCallback, accepting

#: The most superclasses followed from one class (a cycle in hostile input ends the walk too).
MAX_SUPERCLASS_DEPTH = 64


def resolve(store: FactStore) -> None:
    """Classes are matched by name within one artifact (the outer archive, or loose class files), so two SDKs
    that ship classes of the same name are judged apart."""
    scopes: dict[str, dict[str, CompiledClass]] = {}
    for compiled in store.of(CompiledClass):
        scopes.setdefault(_scope(compiled.span.path), {})[compiled.name] = compiled
    if not scopes:
        return
    for scope, classes in scopes.items():
        trust_all: dict[str, TrustCallback] = {}
        for handler in store.of(TrustCallback):
            owner = _owner(handler)
            if (owner in classes and _scope(handler.span.path) == scope and handler.role == SERVER_TRUST
                    and handler.span.logical.endswith(".checkServerTrusted")):
                trust_all.setdefault(owner, handler)
        store.extend(_inherited(classes, trust_all))
    for index, fact in enumerate(store.facts):
        if not isinstance(fact, TrustCallback) or fact.role not in (SERVER_TRUST, HOSTNAME):
            continue
        classes = scopes.get(_scope(fact.span.path), {})
        if _owner(fact) in classes and any(_owner(fact) in compiled.installs for compiled in classes.values()):
            paths = tuple(replace(path, confidence="high",
                                  evidence=path.evidence + "; the class is created and installed in the scan")
                          if path.confidence == "medium" else path for path in fact.paths)
            store.facts[index] = replace(fact, paths=paths)


def _scope(path: str) -> str:
    return path.split(MEMBER_SEPARATOR, 1)[0] if MEMBER_SEPARATOR in path else ""


def _owner(handler: TrustCallback) -> str:
    return handler.span.logical.rpartition(".")[0] if handler.span.logical else ""


def _inherited(classes: dict[str, CompiledClass], trust_all: dict[str, TrustCallback]) -> list[TrustCallback]:
    found = []
    for compiled in classes.values():
        if "checkServerTrusted" in compiled.defines or compiled.name in trust_all:
            continue
        parent = compiled.super_name
        for _ in range(MAX_SUPERCLASS_DEPTH):
            ancestor = classes.get(parent)
            if ancestor is None:
                break
            if ancestor.name in trust_all:
                source = trust_all[ancestor.name]
                found.append(accepting(
                    origin=ORIGIN, language=source.language, role=SERVER_TRUST, shape="inherited-checkServerTrusted",
                    evidence=f"class {compiled.name} inherits the checkServerTrusted of {ancestor.name}, which "
                             "accepts every certificate chain",
                    span=Span(compiled.span.path, 1, 1, logical=f"{compiled.name}.checkServerTrusted"),
                    platform=PLATFORM, confidence="medium"))
                break
            if "checkServerTrusted" in ancestor.defines:
                break
            parent = ancestor.super_name
    return found
