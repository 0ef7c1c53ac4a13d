"""Info.plist transport settings to facts: App Transport Security (ATS) and TrustKit.

Every source of Info.plist content goes through this one interpretation: the plist files themselves,
Expo's ``ios.infoPlist`` dictionary and Cordova ``config.xml`` (``<access>`` entries and plist
fragments). The caller supplies the decoded dictionary and a ``Locator`` that knows where each key is
written. The platform rules applied here:

- ``NSAllowsArbitraryLoads`` is ignored on iOS 10 and later when ``NSAllowsArbitraryLoadsInWebContent``,
  ``NSAllowsArbitraryLoadsForMedia`` or ``NSAllowsLocalNetworking`` is present, whatever its value.
- ``NSExceptionDomains`` and ``NSPinnedDomains`` keys are matched literally: a key with a wildcard or a
  port never matches any host, so its settings never apply.
- the ``NSThirdPartyException*`` and ``NSTemporaryException*`` keys are treated like ``NSException*``.
- ``NSPinnedCAIdentities`` and ``NSPinnedLeafIdentities`` are two independent gates, each its own pin set.
- TrustKit (``TSKConfiguration``) enforces pinning unless ``TSKEnforcePinning`` is NO, parses
  ``TSKExpirationDate`` as ``yyyy-MM-dd`` in UTC, and silently treats a malformed date as no expiry.

Booleans may be written as plist booleans, integers or strings (``YES``, ``true``, ``1``). Build-time text
(``$(VAR)``, ``${VAR}``) is unresolved: it is never judged as a value.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from pinlint.model.facts import CipherPolicy, CleartextPolicy, ConfigProblem, Note, Pin, PinSet, Span, TlsFloor
from pinlint.parsers.config.plistread import VALUE
from pinlint.parsers.config.public_suffix import is_public_suffix
from pinlint.vocab.tls import spelling_of, tls_version
from pinlint.vocab.urls import is_local_host

PathKey = tuple[str | int, ...]

ATS = "NSAppTransportSecurity"
ALLOWS_ARBITRARY_LOADS = "NSAllowsArbitraryLoads"
IN_WEB_CONTENT = "NSAllowsArbitraryLoadsInWebContent"
FOR_MEDIA = "NSAllowsArbitraryLoadsForMedia"
LOCAL_NETWORKING = "NSAllowsLocalNetworking"
#: Present with any value, each makes iOS 10+ ignore NSAllowsArbitraryLoads.
NARROW_KEYS = (IN_WEB_CONTENT, FOR_MEDIA, LOCAL_NETWORKING)
EXCEPTION_DOMAINS = "NSExceptionDomains"
PINNED_DOMAINS = "NSPinnedDomains"
INCLUDES_SUBDOMAINS = "NSIncludesSubdomains"
SPKI_KEY = "SPKI-SHA256-BASE64"
PINNED_LISTS = (("NSPinnedCAIdentities", "ca"), ("NSPinnedLeafIdentities", "leaf"))

_EXCEPTION_PREFIXES = ("NSException", "NSThirdPartyException", "NSTemporaryException")
INSECURE_LOADS_KEYS = tuple(prefix + "AllowsInsecureHTTPLoads" for prefix in _EXCEPTION_PREFIXES)
MINIMUM_TLS_KEYS = tuple(prefix + "MinimumTLSVersion" for prefix in _EXCEPTION_PREFIXES)
FORWARD_SECRECY_KEYS = tuple(prefix + "RequiresForwardSecrecy" for prefix in _EXCEPTION_PREFIXES)
KNOWN_EXCEPTION_KEYS = frozenset({
    INCLUDES_SUBDOMAINS, "NSRequiresCertificateTransparency", "NSExceptionRequiresCertificateTransparency",
    *INSECURE_LOADS_KEYS, *MINIMUM_TLS_KEYS, *FORWARD_SECRECY_KEYS,
})

TRUSTKIT = "TSKConfiguration"
#: TrustKit's real key for excluding a subdomain; the header's documentation spells it ``TSK...``.
TSK_EXCLUDE_REAL = "kSKExcludeSubdomainFromParentPolicy"
TSK_EXCLUDE_MISSPELT = ("TSKExcludeSubdomainFromParentPolicy", "kTSKExcludeSubdomainFromParentPolicy")

_BUILD_TIME = re.compile(r"\$\([^)]*\)|\$\{[^}]*\}")
_TRUSTKIT_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


@dataclass
class Locator:
    """Where each key of the interpreted dictionary is written.

    ``positions`` maps a path (keys and array indexes from the source's own root) to a (line, column);
    ``prefix`` is the path of the Info.plist dictionary inside the source (``("expo", "ios",
    "infoPlist")`` for Expo). A path with no position falls back to its nearest written ancestor, then
    to line 1 (binary plists). ``settings`` may name a setting the way the user wrote it in another
    format (``<access origin="*">``).
    """

    display: str
    positions: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)
    prefix: PathKey = ()
    settings: Mapping[PathKey, str] = field(default_factory=dict)

    def span(self, path: PathKey) -> Span:
        full = (*self.prefix, *path)
        while full:
            position = self.positions.get(full)
            if position is not None:
                return Span(self.display, position[0], position[1])
            full = full[:-1]
        return Span(self.display, 1, 1)

    def value_span(self, path: PathKey) -> Span:
        """Where the value of the member at ``path`` is written (an XML plist's ``<string>``), else its key."""
        position = self.positions.get((*self.prefix, *path, VALUE))
        if position is not None:
            return Span(self.display, position[0], position[1])
        return self.span(path)

    def setting(self, path: PathKey, written: str) -> str:
        return self.settings.get(path, written)


class Computed(str):
    """A value that code computes when the configuration is built (Expo ``app.config.js``), written as
    ``${expression}``. Unknown: as text it reads as build-time text; where a dictionary or an array is
    expected, it may well be one, so its absence of structure is never reported."""


def is_build_time(value: object) -> bool:
    """Whether ``value`` is text substituted at build time (``$(PIN)``, ``${VAR}``)."""
    return isinstance(value, str) and _BUILD_TIME.search(value) is not None


def as_bool(value: object) -> bool | None:
    """A plist boolean as the system reads it, or None when it is not a boolean (or unresolved)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and not is_build_time(value):
        text = value.strip().lower()
        if text in ("yes", "true", "1"):
            return True
        if text in ("no", "false", "0"):
            return False
    return None


def _written(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def host_key_problem(key: str) -> str:
    """Why an NSExceptionDomains/NSPinnedDomains key can never match a host, or '' when it can."""
    if "*" in key:
        return "a wildcard"
    if re.search(r":\d*$", key) and not _is_ip_literal(key):
        return "a port"
    if "://" in key or ("/" in key and not _is_network(key)):
        return "a scheme or path"
    if any(char.isspace() for char in key):
        return "white space"
    return ""


def _is_ip_literal(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _is_network(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def is_local_exception_host(host: str) -> bool:
    """Loopback, ``.local``, emulator and private-network hosts (names, IP literals or CIDR ranges)."""
    name = host.strip().rstrip(".").lower()
    if is_local_host(name):
        return True
    try:
        network = ipaddress.ip_network(name.strip("[]"), strict=False)
    except ValueError:
        return False
    return bool(network.is_private or network.is_loopback or network.is_link_local)


def _written_tls_version(value: str) -> str:
    """``TLSv1.0`` for the bare spellings ``1.0``/``1.1`` seen in the wild; other values as written."""
    text = value.strip()
    if re.fullmatch(r"\d\.\d", text):
        return "TLSv" + text
    return text


def parse_trustkit_date(value: object) -> date | None:
    """TrustKit's ``yyyy-MM-dd`` (UTC) expiration date, or None when TrustKit would not understand it."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = _TRUSTKIT_DATE.match(value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


@dataclass
class _Context:
    locator: Locator
    origin: str
    platform: str
    facts: list[object] = field(default_factory=list)

    def span(self, path: PathKey) -> Span:
        return self.locator.span(path)

    def note(self, path: PathKey, text: str) -> None:
        self.facts.append(Note(self.span(path), text))


def interpret(root: object, locator: Locator, origin: str = "ats", platform: str = "ios",
              variant: str | None = None) -> list[object]:
    """Facts for the ATS and TrustKit settings of one Info.plist dictionary.

    ``origin`` names the source of the ATS settings (``ats``, ``expo``, ``cordova``); pin sets always
    carry the mechanism (``ns-pinned-domains``, ``trustkit``). ``variant`` marks every fact as belonging
    to a non-release build.
    """
    if not isinstance(root, Mapping):
        return []
    context = _Context(locator, origin, platform)
    ats = root.get(ATS)
    if isinstance(ats, Mapping):
        _app_transport_security(ats, context)
    elif ATS in root and not isinstance(ats, Computed):
        context.note((ATS,), f"{ATS} is not a dictionary; the system ignores it")
    misplaced = [key for key in (ALLOWS_ARBITRARY_LOADS, EXCEPTION_DOMAINS, PINNED_DOMAINS, *NARROW_KEYS)
                 if key in root]
    for key in misplaced:
        if key == PINNED_DOMAINS:
            _misplaced_pins((key,), f"at the top level of the Info.plist (outside {ATS})", context)
        else:
            context.note((key,), f"{key} is outside {ATS} and has no effect there")
    trustkit = root.get(TRUSTKIT)
    if isinstance(trustkit, Mapping):
        _trustkit(trustkit, context)
    if variant is None:
        return context.facts
    return [with_variant(fact, variant) for fact in context.facts]


def with_variant(fact: object, variant: str) -> object:
    """``fact`` marked as applying only to the ``variant`` build, when it can carry a variant."""
    is_fact = dataclasses.is_dataclass(fact) and not isinstance(fact, type) and hasattr(fact, "variant")
    if is_fact and getattr(fact, "variant", None) is None:
        return dataclasses.replace(fact, variant=variant)  # type: ignore[type-var]
    return fact


def _app_transport_security(ats: Mapping[str, object], context: _Context) -> None:
    base: PathKey = (ATS,)
    narrow = [key for key in NARROW_KEYS if key in ats]
    arbitrary = as_bool(ats.get(ALLOWS_ARBITRARY_LOADS))
    if arbitrary:
        path = (*base, ALLOWS_ARBITRARY_LOADS)
        if narrow:
            context.note(path, f"{ALLOWS_ARBITRARY_LOADS} is ignored on iOS 10 and later because {narrow[0]} "
                               f"is present; only the narrower keys apply")
        else:
            written = _written(ats.get(ALLOWS_ARBITRARY_LOADS))
            context.facts.append(CleartextPolicy(
                origin=context.origin, platform=context.platform, scope="app", permitted=True,
                span=context.span(path),
                setting=context.locator.setting(path, f"{ALLOWS_ARBITRARY_LOADS} = {written}"),
            ))
    for key, scope in ((IN_WEB_CONTENT, "webview"), (FOR_MEDIA, "media")):
        if as_bool(ats.get(key)):
            path = (*base, key)
            context.facts.append(CleartextPolicy(
                origin=context.origin, platform=context.platform, scope=scope, permitted=True,
                span=context.span(path),
                setting=context.locator.setting(path, f"{key} = {_written(ats.get(key))}"),
            ))
    if "NSAllowsArbitraryLoadsInMedia" in ats:
        context.note((*base, "NSAllowsArbitraryLoadsInMedia"),
                     f"NSAllowsArbitraryLoadsInMedia is not an ATS key (the key is {FOR_MEDIA})")
    exceptions = ats.get(EXCEPTION_DOMAINS)
    if isinstance(exceptions, Mapping):
        for host, entry in exceptions.items():
            _exception_domain(str(host), entry, (*base, EXCEPTION_DOMAINS, str(host)), context)
    pinned = ats.get(PINNED_DOMAINS)
    if isinstance(pinned, Mapping):
        for host, entry in pinned.items():
            _pinned_domain(str(host), entry, (*base, PINNED_DOMAINS, str(host)), context)


def _exception_domain(host: str, entry: object, path: PathKey, context: _Context) -> None:
    if isinstance(entry, Computed):
        return
    if not isinstance(entry, Mapping):
        context.note(path, f"exception domain '{host}' is not a dictionary; the system ignores it")
        return
    problem = host_key_problem(host)
    if problem:
        context.note(path, f"exception domain key '{host}' contains {problem}: ATS matches keys literally, "
                           f"so it never applies (use the bare host name with {INCLUDES_SUBDOMAINS})")
        return
    name = host.strip().lower()
    includes = bool(as_bool(entry.get(INCLUDES_SUBDOMAINS)))
    local = is_local_exception_host(name) and not (includes and _is_top_level_name(name))
    subdomains = " with NSIncludesSubdomains" if includes else ""
    for key in INSECURE_LOADS_KEYS:
        if as_bool(entry.get(key)):
            key_path = (*path, key)
            context.facts.append(CleartextPolicy(
                origin=context.origin, platform=context.platform, scope="domain", permitted=True,
                span=context.span(key_path), hosts=(name,),
                setting=context.locator.setting(key_path, f"{key} = {_written(entry.get(key))}{subdomains}"),
                local_only=local,
            ))
    for key in MINIMUM_TLS_KEYS:
        value = entry.get(key)
        version = tls_version(value) if isinstance(value, str) and not is_build_time(value) else None
        if isinstance(value, str) and version is not None:
            key_path = (*path, key)
            context.facts.append(TlsFloor(
                origin=context.origin, platform=context.platform, min_version=version,
                span=context.span(key_path), hosts=(name,),
                setting=context.locator.setting(key_path, f"{key} = {value.strip()}"), local_only=local,
                spelling=spelling_of(version, _written_tls_version(value)),
            ))
    for key in FORWARD_SECRECY_KEYS:
        if as_bool(entry.get(key)) is False:
            key_path = (*path, key)
            context.facts.append(CipherPolicy(
                origin=context.origin, platform=context.platform,
                weakness="cipher suites without forward secrecy are accepted",
                span=context.span(key_path), hosts=(name,),
                setting=context.locator.setting(key_path, f"{key} = {_written(entry.get(key))}"),
                local_only=local,
            ))
    for key in entry:
        if str(key) == PINNED_DOMAINS:
            _misplaced_pins((*path, str(key)), f"inside the {EXCEPTION_DOMAINS} entry '{name}'", context)
        elif str(key) not in KNOWN_EXCEPTION_KEYS:
            context.note((*path, str(key)), f"'{key}' is not an exception-domain key; the system ignores it")


def _is_top_level_name(name: str) -> bool:
    """A dotless key such as ``com`` that, with NSIncludesSubdomains, covers a whole top-level domain.

    ``localhost`` and ``local`` stay local; ``onion`` (RFC 7686) is reached through Tor's own encryption.
    """
    return "." not in name.strip(".") and name.strip(".") not in ("localhost", "local", "onion")


def _misplaced_pins(path: PathKey, where: str, context: _Context) -> None:
    """``NSPinnedDomains`` where ATS never reads it: the pins the author meant are never enforced."""
    context.facts.append(ConfigProblem(
        "ns-pinned-domains", context.platform,
        f"{PINNED_DOMAINS} {where} is never read: ATS reads it only directly inside {ATS}",
        context.span(path), consequence="its pins are silently never applied",
    ))


def _pinned_domain(host: str, entry: object, path: PathKey, context: _Context) -> None:
    if isinstance(entry, Computed):
        return
    if not isinstance(entry, Mapping):
        context.facts.append(ConfigProblem(
            "ns-pinned-domains", context.platform,
            f"NSPinnedDomains entry '{host}' is not a dictionary", context.span(path),
            consequence="the host is not pinned",
        ))
        return
    problem = host_key_problem(host)
    if problem:
        context.facts.append(ConfigProblem(
            "ns-pinned-domains", context.platform,
            f"NSPinnedDomains key '{host}' contains {problem}: ATS matches keys literally, so it never "
            f"matches a host (use the bare host name with {INCLUDES_SUBDOMAINS})", context.span(path),
            consequence="its pins are silently never applied",
        ))
        return
    name = host.strip().lower()
    include = bool(as_bool(entry.get(INCLUDES_SUBDOMAINS)))
    found = False
    for list_key, kind in PINNED_LISTS:
        if list_key not in entry:
            continue
        found = True
        list_path = (*path, list_key)
        identities = entry[list_key]
        pins: list[Pin] = []
        if isinstance(identities, Computed):
            continue
        if isinstance(identities, list):
            for index, identity in enumerate(identities):
                pin = _identity_pin(identity, (*list_path, index), context)
                if pin is not None:
                    pins.append(pin)
        else:
            context.facts.append(ConfigProblem(
                "ns-pinned-domains", context.platform, f"{list_key} for '{name}' is not an array",
                context.span(list_path), consequence="it pins nothing",
            ))
        context.facts.append(PinSet(
            origin="ns-pinned-domains", platform=context.platform, hosts=(name,), pins=tuple(pins),
            span=context.span(list_path), include_subdomains=include, kind=kind, label=list_key,
        ))
    if not found:
        context.facts.append(ConfigProblem(
            "ns-pinned-domains", context.platform,
            f"NSPinnedDomains entry '{name}' has neither NSPinnedCAIdentities nor NSPinnedLeafIdentities",
            context.span(path), consequence="the host is not pinned",
        ))


def _identity_pin(identity: object, path: PathKey, context: _Context) -> Pin | None:
    if isinstance(identity, Computed):
        return Pin(str(identity), "sha256", context.span(path), unresolved=True)
    if not isinstance(identity, Mapping) or SPKI_KEY not in identity:
        context.facts.append(ConfigProblem(
            "ns-pinned-domains", context.platform,
            f"a pinned identity is not a dictionary with a {SPKI_KEY} value", context.span(path),
            consequence="the identity pins nothing",
        ))
        return None
    value = identity[SPKI_KEY]
    value_path = (*path, SPKI_KEY)
    if not isinstance(value, str):
        value = "" if value is None else repr(value)
    return Pin(value.strip(), "sha256", context.locator.value_span(value_path), unresolved=is_build_time(value))


def _tsk_key(mapping: Mapping[str, object], name: str) -> str:
    """The spelling of a TrustKit key in ``mapping`` (``TSKName`` or ``kTSKName``); default ``TSKName``."""
    for candidate in ("TSK" + name, "kTSK" + name):
        if candidate in mapping:
            return candidate
    return "TSK" + name


def _trustkit(config: Mapping[str, object], context: _Context) -> None:
    base: PathKey = (TRUSTKIT,)
    domains_key = _tsk_key(config, "PinnedDomains")
    domains = config.get(domains_key)
    if isinstance(domains, Computed):
        return
    if not isinstance(domains, Mapping) or not domains:
        where = base if domains is None else (*base, domains_key)
        context.facts.append(ConfigProblem(
            "trustkit", context.platform,
            f"TrustKit {TRUSTKIT} has no pinned domains ({domains_key} is missing, empty or not a "
            f"dictionary): TrustKit throws when it initialises", context.span(where),
        ))
        return
    for host, entry in domains.items():
        _trustkit_domain(str(host), entry, (*base, domains_key, str(host)), context)


def _trustkit_domain(host: str, entry: object, path: PathKey, context: _Context) -> None:
    if isinstance(entry, Computed):
        return
    if not isinstance(entry, Mapping):
        context.facts.append(ConfigProblem(
            "trustkit", context.platform, f"TrustKit policy for '{host}' is not a dictionary",
            context.span(path),
        ))
        return
    if as_bool(entry.get(TSK_EXCLUDE_REAL)):
        context.note((*path, TSK_EXCLUDE_REAL),
                     f"TrustKit: '{host}' is excluded from its parent's policy (unpinned)")
        return
    for misspelt in TSK_EXCLUDE_MISSPELT:
        if misspelt in entry:
            context.facts.append(ConfigProblem(
                "trustkit", context.platform,
                f"'{misspelt}' is not the key TrustKit reads (its value is '{TSK_EXCLUDE_REAL}'), so "
                f"'{host}' is treated as a pinned domain of its own", context.span((*path, misspelt)),
                consequence="the exclusion does not happen and TrustKit may throw at start-up",
            ))
            return
    name = host.strip().lower()
    if "*" in name or not name:
        context.facts.append(ConfigProblem(
            "trustkit", context.platform,
            f"TrustKit domain '{host}' is not a valid domain name: TrustKit throws when it initialises",
            context.span(path),
        ))
        return
    hashes_key = _tsk_key(entry, "PublicKeyHashes")
    enforce_key = _tsk_key(entry, "EnforcePinning")
    expiration_key = _tsk_key(entry, "ExpirationDate")
    include_key = _tsk_key(entry, "IncludeSubdomains")
    include = bool(as_bool(entry.get(include_key)))
    enforced = as_bool(entry.get(enforce_key)) is not False
    if include and is_public_suffix(name):
        context.facts.append(ConfigProblem(
            "trustkit", context.platform,
            f"TrustKit policy for '{name}' sets {include_key} on a public suffix (it would cover every domain "
            f"registered under it): TrustKit throws when it initialises", context.span((*path, include_key)),
        ))
    pins: list[Pin] = []
    hashes = entry.get(hashes_key)
    if isinstance(hashes, Computed):
        return  # the pins are computed: nothing to count or check
    if isinstance(hashes, list):
        for index, value in enumerate(hashes):
            text = value if isinstance(value, str) else repr(value)
            pins.append(Pin(text.strip(), "sha256", context.span((*path, hashes_key, index)),
                            unresolved=is_build_time(text)))
    elif hashes is not None:
        context.facts.append(ConfigProblem(
            "trustkit", context.platform,
            f"{hashes_key} for '{name}' is not an array: TrustKit throws when it initialises",
            context.span((*path, hashes_key)),
        ))
    expiration: date | None = None
    expiration_span: Span | None = None
    if expiration_key in entry:
        expiration = parse_trustkit_date(entry[expiration_key])
        expiration_span = context.span((*path, expiration_key))
        if expiration is None and not is_build_time(entry[expiration_key]):
            context.note((*path, expiration_key),
                         f"TrustKit cannot read the expiration date '{entry[expiration_key]}' (format "
                         f"yyyy-MM-dd) and silently treats the pins for '{name}' as never expiring")
    if not enforced and not any(pin.is_valid or pin.unresolved for pin in pins):
        context.facts.append(ConfigProblem(
            "trustkit", context.platform,
            f"TrustKit policy for '{name}' has no valid pin: TrustKit throws when it initialises",
            context.span((*path, hashes_key) if hashes_key in entry else path),
        ))
    context.facts.append(PinSet(
        origin="trustkit", platform=context.platform, hosts=(name,), pins=tuple(pins),
        span=context.span((*path, hashes_key) if hashes_key in entry else path),
        include_subdomains=include, kind="any", expiration=expiration, expiration_span=expiration_span,
        enforced=enforced, enforcement_span=None if enforced else context.span((*path, enforce_key)),
        label="TrustKit pin set",
    ))
