"""What a client checks before any pin: the host name, the dates, and a path to a trusted root.

- ``name_matches``: the leaf's subjectAltName DNS names (a ``*`` only as the whole leftmost label, matching
  one label) or IP addresses. The subject's common name is not used: Android's OkHttp-derived verifier and
  iOS 13+ ignore it too.
- ``verify_path``: path building and validation by ``cryptography``'s X.509 verifier against the given
  roots at the given moment. Its Web PKI profile is kept, except that the key identifier extensions may be
  absent (Android and iOS build paths without them; many private CAs omit them).
- ``chain_shape``: a server that sends the leaf alone, or a chain with a gap, which clients that do not fetch
  missing intermediates (Android) cannot complete.

The verifier is ``cryptography``'s own (the library pinlint already uses for certificates). Name matching
is written here because the standard library's ``ssl.match_hostname`` was removed in Python 3.12 and the
verifier reports a mismatch only together with every other failure.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.x509 import verification

from pinlint.certs.x509info import CertInfo


def dns_names(info: CertInfo) -> list[str]:
    """The DNS names of the leaf's subjectAltName extension (empty when it has none)."""
    try:
        extension = info.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [name.lower().rstrip(".") for name in extension.value.get_values_for_type(x509.DNSName)]


def _ip_names(info: CertInfo) -> list[str]:
    try:
        extension = info.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [str(address) for address in extension.value.get_values_for_type(x509.IPAddress)]


def _ip_of(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _dns_match(pattern: str, host: str) -> bool:
    if pattern == host:
        return True
    if not pattern.startswith("*."):
        return False
    suffix = pattern[1:]
    return host.endswith(suffix) and "." not in host[: -len(suffix)] and len(host) > len(suffix)


def name_matches(leaf: CertInfo, host: str) -> bool:
    """Whether the leaf is issued for ``host`` (subjectAltName only)."""
    address = _ip_of(host)
    if address is not None:
        return address in _ip_names(leaf)
    name = host.lower().rstrip(".")
    return any(_dns_match(pattern, name) for pattern in dns_names(leaf))


def names_text(leaf: CertInfo) -> str:
    names = dns_names(leaf) + _ip_names(leaf)
    return ", ".join(names) if names else "no subjectAltName names"


@dataclass(frozen=True)
class PathResult:
    """The verifier's answer: ``valid``, why not, and the verified path (leaf first, root last)."""

    valid: bool
    reason: str
    path: tuple[x509.Certificate, ...] = ()


def _policy_builder(roots: Sequence[CertInfo], moment: datetime) -> verification.PolicyBuilder:
    builder = verification.PolicyBuilder().store(verification.Store([info.certificate for info in roots]))
    builder = builder.time(moment)
    policy = getattr(verification, "ExtensionPolicy", None)
    if policy is not None:  # cryptography 45+: allow the key identifiers to be absent
        agnostic = verification.Criticality.AGNOSTIC
        ca = policy.webpki_defaults_ca()
        ca = ca.may_be_present(x509.AuthorityKeyIdentifier, agnostic, None)
        ca = ca.may_be_present(x509.SubjectKeyIdentifier, agnostic, None)
        ee = policy.webpki_defaults_ee().may_be_present(x509.AuthorityKeyIdentifier, agnostic, None)
        builder = builder.extension_policies(ca_policy=ca, ee_policy=ee)
    return builder


def verify_path(host: str, chain: Sequence[CertInfo], roots: Sequence[CertInfo], moment: datetime) -> PathResult:
    """Whether ``chain`` (leaf first, as presented) leads to one of ``roots`` and is valid for ``host``."""
    if not chain:
        return PathResult(False, "no certificate was presented")
    if not roots:
        return PathResult(False, "the trust store holds no certificate")
    address = _ip_of(host)
    subject: x509.GeneralName = (
        x509.IPAddress(ipaddress.ip_address(address)) if address else x509.DNSName(host.lower().rstrip(".")))
    try:
        verifier = _policy_builder(roots, moment).build_server_verifier(subject)  # type: ignore[arg-type]
        path = verifier.verify(chain[0].certificate, [info.certificate for info in chain[1:]])
    except verification.VerificationError as error:
        message = " ".join(str(error).split())
        if "candidates exhausted" in message and "interior errors" in message:
            message = "no path from the presented certificates to a root of the trust store"
        return PathResult(False, message)
    except ValueError as error:  # a host name the verifier cannot represent
        return PathResult(False, str(error))
    return PathResult(True, "valid for the host against the trust store", tuple(path))


def issuing_root(top: CertInfo, roots: Sequence[CertInfo]) -> CertInfo | None:
    """The root among ``roots`` that signed ``top`` (name and signature), if any."""
    for root in roots:
        if root.certificate.subject != top.certificate.issuer:
            continue
        try:
            top.certificate.verify_directly_issued_by(root.certificate)
        except Exception:  # another key with the same name, or an algorithm the library cannot check
            continue
        return root
    return None


def _issued(child: CertInfo, parent: CertInfo) -> bool:
    if child.certificate.issuer != parent.certificate.subject:
        return False
    try:
        child.certificate.verify_directly_issued_by(parent.certificate)
    except Exception:  # not this parent
        return False
    return True


def chain_shape(chain: Sequence[CertInfo], roots: Sequence[CertInfo] | None) -> tuple[str, str] | None:
    """``("leaf-alone" | "chain-incomplete", why)`` when the presented chain cannot be completed as sent.

    With no ``roots`` only a leaf sent alone is reported (nothing tells whether its issuer is a root).
    """
    if not chain:
        return None
    leaf = chain[0]
    if len(chain) == 1:
        if leaf.self_signed:
            return None
        if roots is not None and issuing_root(leaf, roots) is not None:
            return None
        return "leaf-alone", (f"the server sends the leaf alone; its issuer {leaf.issuer} is not sent, so "
                              "clients that do not fetch missing intermediates (Android) fail")
    if roots is None:
        return None
    current, visited = leaf, {id(leaf)}
    for _step in range(len(chain)):
        if current.self_signed or issuing_root(current, roots) is not None:
            return None
        parent = next((other for other in chain if id(other) not in visited and _issued(current, other)), None)
        if parent is None:
            return "chain-incomplete", (f"the chain is incomplete: the certificate that issued {current.subject} "
                                        f"({current.issuer}) is neither sent nor in the trust store")
        current = parent
        visited.add(id(parent))
    return None
