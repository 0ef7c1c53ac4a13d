"""Host names and the patterns pin sets use for them.

A pin set's host entry covers a name when:

- it is the same name (case-insensitive, trailing dot ignored);
- it is a plain name with ``include_subdomains`` (Android ``includeSubdomains``, ``NSIncludesSubdomains``,
  TrustKit ``TSKIncludeSubdomains``) and the name is any subdomain of it;
- it is an OkHttp ``*.`` pattern and the name has exactly one more label;
- it is an OkHttp ``**.`` pattern and the name is the domain itself or any subdomain of it.
"""

from __future__ import annotations


def normalise(host: str) -> str:
    return host.strip().lower().rstrip(".")


def base_domain(pattern: str) -> str:
    """The domain a pattern is about: ``**.example.com`` and ``*.example.com`` give ``example.com``."""
    name = normalise(pattern)
    for prefix in ("**.", "*."):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def covers(pattern: str, include_subdomains: bool, host: str) -> bool:
    name = normalise(host)
    entry = normalise(pattern)
    if not name or not entry:
        return False
    if entry.startswith("**."):
        domain = entry[3:]
        return name == domain or name.endswith("." + domain)
    if entry.startswith("*."):
        domain = entry[2:]
        if not name.endswith("." + domain):
            return False
        return "." not in name[: -len(domain) - 1]
    if name == entry:
        return True
    return include_subdomains and name.endswith("." + entry)


def specificity(pattern: str, host: str) -> int:
    """How specific a covering pattern is for ``host``: an exact name beats any wildcard or parent."""
    entry = normalise(pattern)
    exact = 1 if entry == normalise(host) else 0
    return exact * 10_000 + len(base_domain(entry))


def policy_probe(entry: str) -> str:
    """A concrete host standing for a policy entry: ``*.example.com`` is probed as one subdomain."""
    name = normalise(entry)
    if name.startswith("*."):
        return "pinlint-probe." + name[2:]
    return name
