"""Cleartext and weak-TLS checks over ``CleartextPolicy``, ``Endpoint``, ``TlsFloor`` and ``CipherPolicy``."""

from __future__ import annotations

from collections.abc import Iterator

from pinlint.checks.common import allowed_host, hosts_text, variant_note, variant_severity
from pinlint.checks.context import CheckContext
from pinlint.model.facts import CipherPolicy, CleartextPolicy, Endpoint, FactStore, TlsFloor
from pinlint.model.findings import Finding
from pinlint.vocab.tls import below_tls12
from pinlint.vocab.urls import is_local_network_host, is_loopback_host


def is_weak_tls(version: str) -> bool:
    """Whether ``version`` names a protocol below TLS 1.2 (``TLSv1.1``, ``SSLv3``, ``1.0``...)."""
    return below_tls12(version)


def _scope_text(policy: CleartextPolicy) -> str:
    if policy.scope in ("app", "base") or not policy.hosts:
        return {"webview": "web content", "media": "media loads"}.get(policy.scope, "every host")
    # the hosts that leave the device first: a long list must not hide them behind localhost
    return hosts_text(sorted(policy.hosts, key=lambda host: (is_loopback_host(host), is_local_network_host(host))))


def cleartext_permitted(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CLR201: an explicit setting lets the app send unencrypted traffic."""
    allowed = ctx.option("allowed_hosts") or []
    for policy in facts.of(CleartextPolicy):
        if not policy.permitted or policy.by_default:
            continue
        if policy.hosts and all(allowed_host(host, allowed) for host in policy.hosts):
            continue
        setting = policy.setting or "cleartext permitted"
        local = " (loopback or local-network hosts only)" if policy.local_only else ""
        severity = variant_severity(ctx, policy.variant, policy.local_only)
        if policy.local_only and policy.hosts and all(is_loopback_host(host) for host in policy.hosts):
            # the device itself (localhost, 127.0.0.1, ::1, the emulator's 10.0.2.2): the same on both platforms
            local, severity = " (loopback hosts only: traffic that never leaves the device)", "info"
        yield Finding(
            "CLR201",
            f"{setting} allows unencrypted HTTP to {_scope_text(policy)}{local}: anyone on the network can read "
            f"and change the traffic; use HTTPS and remove the exception" + variant_note(policy.variant),
            policy.span,
            subject=(policy.origin, policy.scope, setting, *sorted(policy.hosts)),
            severity=severity,
            confidence=policy.confidence,
        )


def cleartext_by_default(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CLR202: no explicit cleartext setting, and the platform default (targetSdk below 28) permits it."""
    for policy in facts.of(CleartextPolicy):
        if not (policy.permitted and policy.by_default):
            continue
        setting = policy.setting or "the platform default"
        yield Finding(
            "CLR202",
            f"{setting} permits cleartext traffic to {_scope_text(policy)}: set "
            f"cleartextTrafficPermitted=\"false\" in a network security config (or raise targetSdk to 28+)"
            + variant_note(policy.variant),
            policy.span,
            subject=(policy.origin, policy.scope, "default"),
            severity=variant_severity(ctx, policy.variant),
        )


def insecure_url(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CLR203: an ``http://`` or ``ws://`` URL to a non-local host."""
    allowed = ctx.option("allowed_hosts") or []
    mock_paths = facts.attributes.get("mock_paths") or set()
    for endpoint in facts.of(Endpoint):
        if endpoint.scheme not in ("http", "ws") or endpoint.local or allowed_host(endpoint.host, allowed):
            continue
        secure = "https" if endpoint.scheme == "http" else "wss"
        severity = variant_severity(ctx, endpoint.variant)
        note = variant_note(endpoint.variant)
        if endpoint.variant == "debug":
            severity = "info"  # compiled only into debug builds: not exposure of the shipped app
        elif endpoint.span.path in mock_paths:
            severity, note = "info", " (mock or fixture data)"
        elif endpoint.local_network:
            severity = "low"
            note = (" (a local-network host: a hospital or clinic LAN is a hostile network too)" + note)
        yield Finding(
            "CLR203",
            f"insecure URL '{endpoint.url[:120]}': traffic to {endpoint.host} is unencrypted; use {secure}://"
            + note,
            endpoint.span,
            subject=(endpoint.url,),
            severity=severity,
            confidence=endpoint.confidence,
        )


def weak_tls_version(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CLR204: a protocol floor (or a forced protocol) below TLS 1.2."""
    for floor in facts.of(TlsFloor):
        if not is_weak_tls(floor.min_version):
            continue
        setting = floor.setting or floor.min_version
        yield Finding(
            "CLR204",
            f"{setting} allows {floor.min_version} for {hosts_text(floor.hosts)}: TLS below 1.2 has known attacks "
            f"and is deprecated; require TLS 1.2 or later" + variant_note(floor.variant),
            floor.span,
            subject=(floor.origin, floor.min_version, *sorted(floor.hosts)),
            severity=variant_severity(ctx, floor.variant, floor.local_only),
        )


def weak_cipher_suite(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """CLR205: forward secrecy turned off, or weak cipher suites enabled."""
    for policy in facts.of(CipherPolicy):
        setting = policy.setting or policy.weakness
        yield Finding(
            "CLR205",
            f"{setting}: {policy.weakness} for {hosts_text(policy.hosts)}; keep forward secrecy and only "
            f"modern AEAD cipher suites" + variant_note(policy.variant),
            policy.span,
            subject=(policy.origin, policy.weakness, *sorted(policy.hosts)),
            severity=variant_severity(ctx, policy.variant, policy.local_only),
        )
