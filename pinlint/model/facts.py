"""The fact model: what an app does with transport security, the same whatever the source.

Parsers turn files into facts; resolvers (``pinlint.resolve``) combine facts across files and
derive more; checks read facts and never see XML, plists or syntax trees. A rule such as
"missing backup pin" is therefore written once and serves Android, iOS, TrustKit, OkHttp and
React Native alike.

All facts are frozen, slotted dataclasses. Platform-specific intermediate facts (an Android network
security config tree, a manifest, a Gradle script) live beside these, in ``pinlint.model.android``;
the generic facts below are the vocabulary the checks understand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from pinlint.vocab.pins import canonical_pin, decode_pin

#: Platforms a fact can belong to. ``"any"`` is used for files that serve every platform.
PLATFORMS = ("android", "ios", "flutter", "dotnet", "javascript", "python", "any")


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A place in a scanned file. Lines and columns are 1-based; ``path`` is POSIX, relative to the scan root."""

    path: str
    line: int = 1
    col: int = 1
    end_line: int | None = None
    end_col: int | None = None
    #: The class and method a place in compiled code belongs to (``com.vendor.Net$TrustAll.checkServerTrusted``),
    #: for places without source lines (SARIF ``logicalLocations``); empty for source files.
    logical: str = ""


@dataclass(frozen=True, slots=True)
class Pin:
    """One pin as written: ``value`` is trimmed text, ``algorithm`` is lower-case (``sha256``, ``sha1``, ...).

    ``unresolved`` marks build-time text (``$(PIN)``, ``${VAR}``) that cannot be checked.
    ``decoder`` names the base64 decoder the consuming platform uses (``pinlint.vocab.pins``): Apple's is
    strict, Android's (``android.util.Base64``, also TrustKit-Android) and OkHttp's (Okio) accept a value
    without its ``=`` padding.
    """

    value: str
    algorithm: str
    span: Span
    unresolved: bool = False
    decoder: str = "strict"

    @property
    def digest(self) -> bytes | None:
        """The decoded bytes, or None when the value is not valid base64 for the platform's decoder."""
        return decode_pin(self.value, self.decoder)

    @property
    def canonical(self) -> str | None:
        """The value written canonically (as certificates' SPKI pins are), or None when it is not base64."""
        return canonical_pin(self.value, self.decoder)

    @property
    def is_sha256(self) -> bool:
        return self.algorithm.replace("-", "").lower() == "sha256"

    @property
    def is_valid(self) -> bool:
        """A well-formed SHA-256 SPKI pin: base64 of exactly 32 bytes."""
        digest = self.digest
        return self.is_sha256 and digest is not None and len(digest) == 32

    @property
    def key(self) -> str:
        """Identity for set semantics: the same pin written twice counts once."""
        canonical = self.canonical
        if canonical is not None:
            return self.algorithm.replace("-", "").lower() + ":" + canonical
        return self.algorithm.lower() + ":" + self.value


@dataclass(frozen=True, slots=True)
class PinSet:
    """A set of pins guarding some hosts, from any source.

    ``origin`` names the mechanism (``android-nsc``, ``trustkit-android``, ``ns-pinned-domains``,
    ``trustkit``, ``okhttp``, ``rn-public-key-pinning``, ``rn-ssl-pinning``, ``alamofire``,
    ``afnetworking``, ``flutter-pinning``...). ``kind`` is ``ca`` or ``leaf`` when the source says which
    certificates the pins must match (NSPinnedCAIdentities / NSPinnedLeafIdentities), ``any`` when any
    certificate in the chain may match, ``certificate`` for certificate (not key) pinning where
    ``certificates`` lists the pinned certificate files. ``expiration`` is the first day pinning stops.
    ``variant`` is set when the set only applies to a non-release build (for example ``debug``).
    """

    origin: str
    platform: str
    hosts: tuple[str, ...]
    pins: tuple[Pin, ...]
    span: Span
    include_subdomains: bool = False
    kind: str = "any"
    expiration: date | None = None
    expiration_span: Span | None = None
    enforced: bool = True
    enforcement_span: Span | None = None
    certificates: tuple[str, ...] = ()
    variant: str | None = None
    label: str = ""
    #: The source gives pins whose number cannot be known (a variable, a parameter, a list built at run
    #: time): ``pins`` holds only those written out, and no rule counts them (PIN101 stays silent).
    count_unknown: bool = False
    #: The pins were found by their shape among a compiled binary's strings (``pinlint.parsers.binary.macho``),
    #: not read from a pinning configuration: the hosts they guard (``hosts`` stays empty), how many belong
    #: together and whether they are enforced are unknown. ``host_hint`` is a host name standing beside them in
    #: those strings, when one does: a hint the binary gives, not a proof. Checks judge such a set with medium
    #: confidence and never as a pinning configuration (no backup count, no coverage of a host).
    found_in_binary: bool = False
    host_hint: str = ""

    @property
    def distinct_pins(self) -> tuple[Pin, ...]:
        """The pins with duplicates removed (first occurrence kept), in source order."""
        seen: set[str] = set()
        result: list[Pin] = []
        for pin in self.pins:
            if pin.key not in seen:
                seen.add(pin.key)
                result.append(pin)
        return tuple(result)

    @property
    def valid_distinct_pins(self) -> tuple[Pin, ...]:
        return tuple(pin for pin in self.distinct_pins if pin.is_valid or pin.unresolved)


@dataclass(frozen=True, slots=True)
class CleartextPolicy:
    """Whether cleartext (http, ws) is permitted, and where.

    ``scope`` is ``app`` (whole app), ``base`` (Android base-config), ``domain`` (listed hosts),
    ``webview`` or ``media`` (iOS content-specific exemptions). ``by_default`` marks a platform default
    rather than an explicit setting (CLR202). ``local_only`` marks loopback, ``.local`` or emulator hosts.
    ``setting`` is how the user wrote it, for the message (``cleartextTrafficPermitted="true"``).
    """

    origin: str
    platform: str
    scope: str
    permitted: bool
    span: Span
    hosts: tuple[str, ...] = ()
    setting: str = ""
    by_default: bool = False
    local_only: bool = False
    variant: str | None = None
    #: Overrides the rule's confidence (``low`` when the setting matters only on platform versions the
    #: app may not support, and its minSdk is unknown).
    confidence: str | None = None


@dataclass(frozen=True, slots=True)
class AnchorSource:
    """One trust-anchor source (``system``, ``user``, ``wfa``, ``@raw/name``)."""

    src: str
    override_pins: bool
    span: Span
    override_span: Span | None = None


@dataclass(frozen=True, slots=True)
class TrustAnchors:
    """Which certificate authorities are trusted for a scope.

    ``debug_only`` marks anchors from Android ``debug-overrides``; ``by_default`` marks platform defaults
    (for example user CAs trusted at targetSdk <= 23 with no config).
    """

    origin: str
    platform: str
    scope: str
    sources: tuple[AnchorSource, ...]
    span: Span
    hosts: tuple[str, ...] = ()
    debug_only: bool = False
    by_default: bool = False
    variant: str | None = None


@dataclass(frozen=True, slots=True)
class TlsFloor:
    """A minimum (or forced) TLS/SSL protocol version; ``min_version`` like ``TLSv1.0`` or ``SSLv3``."""

    origin: str
    platform: str
    min_version: str
    span: Span
    hosts: tuple[str, ...] = ()
    setting: str = ""
    local_only: bool = False
    variant: str | None = None


@dataclass(frozen=True, slots=True)
class CipherPolicy:
    """Weak cipher handling: forward secrecy off, or named weak suites enabled."""

    origin: str
    platform: str
    weakness: str
    span: Span
    hosts: tuple[str, ...] = ()
    setting: str = ""
    local_only: bool = False
    variant: str | None = None


#: Roles of a trust decision site in code: what the callback, option or flag decides.
#: ``server-trust``: whether a certificate chain is trusted (trust managers, validation callbacks, trust
#: evaluators, trust-all options such as ``rejectUnauthorized: false``).
SERVER_TRUST = "server-trust"
#: ``auth-challenge``: how an authentication-challenge handler answers a server-trust challenge (URLSession,
#: WKWebView, NSURLConnection): accepting means answering with a credential built from the server trust.
AUTH_CHALLENGE = "auth-challenge"
#: ``hostname``: whether a certificate fits the host (hostname verifiers, ``check_hostname``, CN checks).
HOSTNAME = "hostname"
#: ``webview-ssl-error``: whether a WebView loads a page after a TLS error (accepting means ``proceed()``).
WEBVIEW_SSL_ERROR = "webview-ssl-error"
TRUST_ROLES = (SERVER_TRUST, AUTH_CHALLENGE, HOSTNAME, WEBVIEW_SSL_ERROR)

#: Guards: what holds on an accepting path before it accepts. A path with no guard accepts unconditionally.
#: The platform's own evaluation ran and succeeded on this path (called and its failure rejected, or the
#: error flags the platform passes in say "no error").
PLATFORM_PASSED = "platform-passed"
#: The path runs when the platform's evaluation failed (an error flag set, its exception caught).
PLATFORM_FAILED = "platform-failed"
#: The path runs when the platform's evaluation failed on the host name only (an error-code test).
PLATFORM_NAME_MISMATCH = "platform-name-mismatch"
#: The platform's evaluation ran but its result decides nothing on this path.
PLATFORM_IGNORED = "platform-ignored"
#: A comparison of the certificate or its key (a pin, a fingerprint, a bundled certificate) succeeded.
PIN_MATCH = "pin-match"
#: The path runs after a comparison of the certificate (pin, fingerprint or name) failed.
PIN_MISMATCH = "pin-mismatch"
#: A pinning validator outside the callback decides the connection (Dart's pinning plugins).
PIN_VALIDATOR = "pin-validator"
#: The certificate's subject or issuer string compared: anyone can write it into a self-signed certificate.
SUBJECT_NAME = "subject-name"
#: A host compared exactly or on a dot boundary (``host == "api.x.com"``, ``endsWith(".x.com")``).
HOST_COMPARED = "host-compared"
#: A host compared by prefix, substring or a suffix without a dot: ``evil-x.com`` passes ``endsWith("x.com")``.
HOST_FORGEABLE = "host-forgeable"
#: A host test that only lets loopback or development hosts through (a local exception).
HOST_LOCAL = "host-local"
#: A debug-build flag holds (``kDebugMode``, ``#if DEBUG``, ``Debugger.IsAttached``).
DEBUG_FLAG = "debug-flag"
#: Some other condition, one that does not inspect the certificate.
OTHER_CONDITION = "other-condition"
#: The chain is only checked for presence or dates, never who issued it.
STRUCTURAL_ONLY = "structural-only"
#: The app's own certificate check (of unknown strength) holds (a WebView handler testing ``error.certificate``).
APP_CERT_CHECK = "app-cert-check"
#: The accept runs later, from a callback such as a dialog button.
DEFERRED = "deferred"


@dataclass(frozen=True, slots=True)
class AcceptingPath:
    """One way a trust decision site accepts, and the guards (above) that hold on it.

    ``span`` is the place that accepts (a ``return true``, a ``proceed()``, the flag); ``shape`` is a short,
    stable name of the code shape used in fingerprints (``empty-checkServerTrusted``, ``badCertificateCallback``);
    ``evidence`` says in words what the code does. ``confidence`` is how sure the front end is that the code
    runs as read (None: the rule's default); ``variant`` is the build the code belongs to.
    """

    guards: frozenset[str]
    span: Span
    shape: str
    evidence: str
    confidence: str | None = None
    variant: str | None = None


@dataclass(frozen=True, slots=True)
class TrustCallback:
    """A trust decision site in code or bytecode, and every path on which it accepts.

    Neutral: it says what the site decides (``role``) and what each accepting path checked first; the trust
    checks (``pinlint.checks.trust``) decide which rule, if any, a path breaks. A constant option
    (``trustAll = true``) is a site whose only path accepts unguarded. ``span`` is where the site is.
    """

    origin: str
    language: str
    role: str
    span: Span
    paths: tuple[AcceptingPath, ...]
    platform: str = "any"


def accepting(
    origin: str,
    language: str,
    role: str,
    shape: str,
    evidence: str,
    span: Span,
    *,
    guards: frozenset[str] = frozenset(),
    platform: str = "any",
    confidence: str | None = None,
    variant: str | None = None,
) -> TrustCallback:
    """A site with one accepting path (a flag, an option, a callback that accepts one way)."""
    path = AcceptingPath(guards, span, shape, evidence, confidence, variant)
    return TrustCallback(origin, language, role, span, (path,), platform)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A URL literal in code or config. ``local`` marks loopback and emulator hosts (the device itself);
    ``local_network`` marks RFC 1918, link-local, ``.local`` and bare host names (still a network)."""

    url: str
    scheme: str
    host: str
    span: Span
    language: str = ""
    local: bool = False
    platform: str = "any"
    variant: str | None = None
    local_network: bool = False
    #: Overrides the rule's confidence (``medium`` for a URL string found in compiled code, whose use is not seen).
    confidence: str | None = None


@dataclass(frozen=True, slots=True)
class Certificate:
    """An X.509 certificate found in the tree. ``spki_sha256`` is the base64 pin of its public key; ``der``
    its DER encoding, so a chain judgement can verify a signature without reading the file again."""

    path: str
    span: Span
    spki_sha256: str
    is_ca: bool
    self_signed: bool
    subject: str
    issuer: str
    not_after: date
    not_before: date | None = None
    sha256_fingerprint: str = ""
    der: bytes = field(default=b"", repr=False)


@dataclass(frozen=True, slots=True)
class LinkedLibrary:
    """A library a compiled binary links (Mach-O ``LC_LOAD_DYLIB`` and its kin, or an object's autolink option):
    ``path`` as the binary names it (``@rpath/TrustKit.framework/TrustKit``), ``name`` its short name
    (``TrustKit``), ``how`` it links (``load``, ``weak``, ``reexport``, ``lazy``, ``upward``, ``linker-option``).
    Inventory evidence: linking a library is no finding by itself."""

    path: str
    name: str
    how: str
    span: Span
    platform: str = "ios"


@dataclass(frozen=True, slots=True)
class PinClassification:
    """What a pin matches among the tree's certificates: ``role`` is ``leaf``, ``intermediate`` or ``root``."""

    pin: str
    role: str
    certificate: Certificate


@dataclass(frozen=True, slots=True)
class PrivateKey:
    """A private key shipped in the tree; ``kind`` says its container (``pem``, ``pkcs12``, ``keystore``)."""

    kind: str
    span: Span
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ParseError:
    """A file pinlint must read but cannot: CFG901, or CFG902 when ``unsafe`` (DTD or entities)."""

    span: Span
    reason: str
    unsafe: bool = False


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """A configuration the platform rejects at load time (CFG903).

    ``consequence`` says what happens instead when the platform does not reject the configuration but
    silently ignores part of it (a pinned-domain key that can never match); empty means "rejected at load".
    """

    origin: str
    platform: str
    reason: str
    span: Span
    variant: str | None = None
    consequence: str = ""


@dataclass(frozen=True, slots=True)
class MissingReference:
    """A reference to a resource that does not exist (CFG904)."""

    origin: str
    platform: str
    reference: str
    span: Span
    variant: str | None = None


@dataclass(frozen=True, slots=True)
class NotAnalysed:
    """A file a parser claimed but chose not to analyse in this profile (minified code in precommit).

    ``reason`` completes "N files ...": the scan lists them in one notice, so nothing is left out unsaid.
    """

    span: Span
    reason: str


@dataclass(frozen=True, slots=True)
class Note:
    """An informational observation that is not a rule finding (dead settings, unresolved values)."""

    span: Span
    text: str


F = TypeVar("F")


@dataclass
class FactStore:
    """Every fact of one scan. Facts of any type can be added; checks select them by type."""

    facts: list[Any] = field(default_factory=list)
    #: Extra per-scan values resolvers share (for example resolved Android modules).
    attributes: dict[str, Any] = field(default_factory=dict)

    def add(self, fact: object) -> None:
        self.facts.append(fact)

    def extend(self, facts: Iterable[object]) -> None:
        self.facts.extend(facts)

    def of(self, kind: type[F]) -> list[F]:
        return [fact for fact in self.facts if isinstance(fact, kind)]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)


@dataclass(frozen=True, slots=True)
class PinnedCertificate:
    """A certificate that certificate pinning names, found in the tree.

    ``owner`` is the pinning that names it: a ``PinSet`` of kind ``certificate`` (Alamofire, AFNetworking)
    or ``TrustAnchors`` limited to bundled ``@raw`` certificates. ``reference`` is the entry as written
    (a file name, ``@raw/name``, a bundle placeholder).
    """

    owner: PinSet | TrustAnchors
    reference: str
    certificate: Certificate


@dataclass(frozen=True, slots=True)
class PlatformPresence:
    """A file that shows the project ships for ``platform`` (an Android manifest, an iOS Info.plist)."""

    platform: str
    span: Span


@dataclass(frozen=True, slots=True)
class AndroidResources:
    """What discovery found in one Android module's resource folders (``src/<set>/res/*/`` and ``res/*/``).

    ``module`` is the module folder (absolute, POSIX); ``xml_files`` and ``raw_files`` are the regular files
    in its ``res/xml*/`` (``.xml`` only) and ``res/raw*/`` folders, absolute; ``has_other_resources`` says
    whether any resource folder besides ``res/xml*`` exists (``values``, ``raw``, ``drawable``...): a sign
    that the module's resources are in the tree, not only a config copied alone. Resolution reads these
    instead of the disk.
    """

    module: str
    xml_files: tuple[str, ...] = ()
    raw_files: tuple[str, ...] = ()
    has_other_resources: bool = False

    def xml_named(self, name: str | None = None) -> list[str]:
        """``res/xml*/NAME.xml`` in any source set (every XML resource when ``name`` is None)."""
        return [path for path in self.xml_files if name is None or _stem(path) == name]

    def raw_named(self, name: str | None = None) -> list[str]:
        """``res/raw*/NAME.*`` in any source set, any extension (every raw resource when ``name`` is None)."""
        return [path for path in self.raw_files if name is None or _base(path).split(".", 1)[0] == name]


def _base(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _stem(path: str) -> str:
    base = _base(path)
    return base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
