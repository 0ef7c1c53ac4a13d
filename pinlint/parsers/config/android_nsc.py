"""Android network security config (``res/xml/*.xml`` with root ``<network-security-config>``).

The file is recognised by its root element, wherever it lives. Parsing follows the platform's own
reader (``XmlConfigSource``): the tree of ``base-config``, nested ``domain-config`` and
``debug-overrides`` with their trust anchors and pin sets, plus every problem that makes the platform
throw when the config loads. TrustKit-Android's ``<trustkit-config>`` extension inside ``domain-config``
is read too. Unknown elements (newer platform features) are skipped silently, as the platform does.

What the settings mean for the app (inheritance, defaults per targetSdk, debug builds) is decided later,
by ``pinlint.resolve.android``, which has the manifest and Gradle file at hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pinlint.model.android import (
    NetworkSecurityConfigFile,
    NscCertificates,
    NscDomain,
    NscPinSet,
    NscProblem,
    NscScope,
    NscTrustAnchors,
    NscTrustKitConfig,
)
from pinlint.model.facts import Pin, Span
from pinlint.parsers import SourceFile
from pinlint.parsers.config import xmlsafe

if TYPE_CHECKING:  # lxml loads with the first XML file parsed (pinlint.parsers.config.xmlsafe)
    from lxml import etree

NAME = "android_nsc"
#: The project context a file of this kind needs when scanned alone (``pinlint.discover.android``).
CONTEXT = "android-config"
ROOT = "network-security-config"

_SNIFF = (ROOT.encode(), ROOT.encode("utf-16-le"), ROOT.encode("utf-16-be"))
_LIKELY_NAME = re.compile(r"network[_-]?security[_-]?config.*\.xml$", re.IGNORECASE)
_RAW_REFERENCE = re.compile(r"^@(?:[A-Za-z][\w.]*:)?raw/\w+$")
_KEYWORD_SOURCES = frozenset({"system", "user", "wfa"})
_DATE = re.compile(r"(\d+)-(\d+)-(\d+)")
# aapt compiles these spellings of a boolean; anything else keeps the platform default.
_TRUE = frozenset({"true", "TRUE", "True"})
_FALSE = frozenset({"false", "FALSE", "False"})




def accepts(name: str, head: bytes) -> bool:
    if not name.lower().endswith(".xml"):
        return False
    return bool(_LIKELY_NAME.search(name)) or any(marker in head for marker in _SNIFF)


def parse(source: SourceFile) -> list[object]:
    document = xmlsafe.parse(source)
    if not isinstance(document, xmlsafe.XmlDocument):
        return [document]
    if xmlsafe.local_name(document.root) != ROOT:
        return []
    return [_Reader(document).read()]


def parse_bool(value: str | None) -> bool | None:
    """A boolean attribute as the platform reads it: None when absent or not a boolean."""
    if value is None:
        return None
    value = value.strip()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse_expiration(text: str) -> date | None:
    """``yyyy-MM-dd`` as Java's strict ``SimpleDateFormat`` reads it (trailing text ignored), else None."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if year > 9999 and 1 <= month <= 12 and 1 <= day <= 31:
        return date.max
    try:
        return date(year, month, day)
    except ValueError:
        return None


def digest_algorithm(digest: str | None) -> str:
    """The pin's algorithm for the shared model; only ``SHA-256`` (any case) counts as SHA-256 here.

    The platform compares the attribute to ``SHA-256`` exactly (ignoring case), so ``SHA256`` or a
    missing attribute is as fatal as ``SHA-1``. Such values are kept verbatim with a note, so that the
    model's looser notion of SHA-256 does not accept them.
    """
    if digest is None:
        return "none (the digest attribute is missing)"
    value = digest.strip()
    if value.lower() == "sha-256":
        return "sha256"
    if value.lower().replace("-", "") == "sha256":
        return f"{value} (must be written SHA-256)"
    return value.lower()


def _children(element: etree._Element) -> Iterator[etree._Element]:
    for child in element:
        if isinstance(child.tag, str):
            yield child


def _own_text(element: etree._Element) -> tuple[str, bool]:
    """The element's text without comments, trimmed, and whether it holds child elements."""
    parts = [element.text or ""]
    has_elements = False
    for child in element:
        if isinstance(child.tag, str):
            has_elements = True
        parts.append(child.tail or "")
    return "".join(parts).strip(), has_elements


class _Reader:
    def __init__(self, document: xmlsafe.XmlDocument) -> None:
        self.document = document
        self.problems: list[NscProblem] = []
        self.seen_domains: dict[str, int] = {}

    def span(self, element: etree._Element, attribute: str | None = None) -> Span:
        return self.document.span(element, attribute)

    def problem(
        self, reason: str, element: etree._Element, debug: bool, attribute: str | None = None,
    ) -> None:
        self.problems.append(NscProblem(reason, self.span(element, attribute), debug))

    def read(self) -> NetworkSecurityConfigFile:
        root = self.document.root
        base: NscScope | None = None
        domains: list[NscScope] = []
        debug: NscScope | None = None
        for child in _children(root):
            name = xmlsafe.local_name(child)
            if name == "base-config":
                if base is not None:
                    self.problem("only one <base-config> is allowed", child, False)
                    continue
                base = self.scope(child, "base", False)
            elif name == "domain-config":
                domains.append(self.scope(child, "domain", False))
            elif name == "debug-overrides":
                if debug is not None:
                    self.problem("only one <debug-overrides> is allowed", child, False)
                    continue
                debug = self.scope(child, "debug", True)
        source = self.document.source
        return NetworkSecurityConfigFile(
            file=source.path.as_posix(), display=source.display, span=self.span(root), base=base,
            domain_configs=tuple(domains), debug_overrides=debug, problems=tuple(self.problems),
            context_only=source.context_only,
        )

    def scope(self, element: etree._Element, kind: str, debug: bool) -> NscScope:
        where = {"base": "<base-config>", "domain": "<domain-config>", "debug": "<debug-overrides>"}[kind]
        domains: list[NscDomain] = []
        anchors: NscTrustAnchors | None = None
        pin_set: NscPinSet | None = None
        trustkit: NscTrustKitConfig | None = None
        children: list[NscScope] = []
        seen_anchors = seen_pins = False
        for child in _children(element):
            name = xmlsafe.local_name(child)
            if name == "domain":
                if kind != "domain":
                    self.problem(f"<domain> is not allowed in {where}", child, debug)
                    continue
                found = self.domain(child, debug)
                if found is not None:
                    domains.append(found)
            elif name == "trust-anchors":
                if seen_anchors:
                    self.problem(f"only one <trust-anchors> is allowed in {where}", child, debug)
                    continue
                seen_anchors = True
                anchors = self.trust_anchors(child, debug)
            elif name == "pin-set":
                if kind != "domain":
                    self.problem(f"<pin-set> is not allowed in {where}", child, debug)
                    continue
                if seen_pins:
                    self.problem(f"only one <pin-set> is allowed in {where}", child, debug)
                    continue
                seen_pins = True
                pin_set = self.pin_set(child, debug)
            elif name == "domain-config":
                if kind != "domain":
                    self.problem(f"a nested <domain-config> is not allowed in {where}", child, debug)
                    continue
                children.append(self.scope(child, "domain", debug))
            elif name == "trustkit-config" and kind == "domain":
                trustkit = self.trustkit(child)
        if kind == "domain" and not domains and not any(
            xmlsafe.local_name(child) == "domain" for child in _children(element)
        ):
            self.problem("<domain-config> has no <domain>", element, debug)
        cleartext_text = element.get("cleartextTrafficPermitted")
        cleartext = parse_bool(cleartext_text)
        return NscScope(
            kind=kind, span=self.span(element), domains=tuple(domains), cleartext=cleartext,
            cleartext_span=self.span(element, "cleartextTrafficPermitted") if cleartext is not None else None,
            trust_anchors=anchors, pin_set=pin_set, trustkit=trustkit, children=tuple(children),
        )

    def domain(self, element: etree._Element, debug: bool) -> NscDomain | None:
        text, has_elements = _own_text(element)
        if has_elements:
            self.problem("<domain> must contain only a host name", element, debug)
        if not text:
            self.problem("<domain> has no host name", element, debug)
            return None
        name = text.lower()
        if name in self.seen_domains:
            first = self.seen_domains[name]
            self.problem(f"domain '{name}' is already specified (line {first})", element, debug)
        else:
            self.seen_domains[name] = self.span(element).line
        include = parse_bool(element.get("includeSubdomains")) or False
        return NscDomain(name, include, self.span(element))

    def trust_anchors(self, element: etree._Element, debug: bool) -> NscTrustAnchors:
        entries: list[NscCertificates] = []
        for child in _children(element):
            if xmlsafe.local_name(child) != "certificates":
                continue
            src = child.get("src")
            if src is None:
                self.problem("<certificates> has no src attribute", child, debug)
                continue
            value = src.strip()
            if value not in _KEYWORD_SOURCES and not _RAW_REFERENCE.match(value):
                reason = f"unknown certificates src '{src}' (use system, user, wfa or @raw/NAME)"
                self.problem(reason, child, debug, "src")
                continue
            override = parse_bool(child.get("overridePins"))
            entries.append(NscCertificates(
                src=value, override_pins=override, span=self.span(child), src_span=self.span(child, "src"),
                override_span=self.span(child, "overridePins") if override is not None else None,
            ))
        return NscTrustAnchors(tuple(entries), self.span(element))

    def pin_set(self, element: etree._Element, debug: bool) -> NscPinSet:
        expiration: date | None = None
        expiration_span: Span | None = None
        text = element.get("expiration")
        if text is not None:
            expiration_span = self.span(element, "expiration")
            expiration = parse_expiration(text)
            if expiration is None:
                self.problems.append(NscProblem(
                    f"invalid pin-set expiration '{text}' (the format is yyyy-MM-dd)", expiration_span, debug,
                ))
        pins: list[Pin] = []
        for child in _children(element):
            if xmlsafe.local_name(child) != "pin":
                continue
            value, has_elements = _own_text(child)
            if has_elements:
                self.problem("<pin> must contain only the base64 digest", child, debug)
            if not value:
                self.problem("<pin> has no digest value", child, debug)
                continue
            # android.util.Base64 decodes the text (padding optional), as it does for TrustKit-Android.
            pins.append(Pin(value, digest_algorithm(child.get("digest")), self.span(child), decoder="android"))
        return NscPinSet(tuple(pins), self.span(element), expiration, expiration_span)

    def trustkit(self, element: etree._Element) -> NscTrustKitConfig:
        # TrustKit reads these with Boolean.parseBoolean: only "true" (any case) is true.
        enforce_text = element.get("enforcePinning")
        enforce = None if enforce_text is None else enforce_text.strip().lower() == "true"
        disable = (element.get("disableDefaultReportUri") or "").strip().lower() == "true"
        uris = tuple(
            _own_text(child)[0] for child in _children(element) if xmlsafe.local_name(child) == "report-uri"
        )
        return NscTrustKitConfig(
            enforce_pinning=enforce, span=self.span(element),
            enforce_span=self.span(element, "enforcePinning") if enforce_text is not None else None,
            disable_default_report_uri=disable, report_uris=uris,
        )
