"""Cordova ``config.xml``: the App Transport Security settings cordova-ios writes into the app's Info.plist.

At prepare time cordova-ios turns ``<access origin>`` and ``<allow-navigation href>`` entries into ATS:

- ``*`` (and ``http(s)://*/*``, whose host name is ``*``) writes ``NSAllowsArbitraryLoads`` (always; on
  iOS 10+ it is ignored when the ``*`` entry has
  ``allows-arbitrary-loads-in-web-content``, ``allows-arbitrary-loads-for-media`` or
  ``allows-local-networking`` set to ``true``, which write the narrower keys);
- an ``http://`` (or ``*://``) origin writes ``NSExceptionAllowsInsecureHTTPLoads`` for its host, and
  ``*.host`` writes ``NSIncludesSubdomains``;
- ``minimum-tls-version`` and ``requires-forward-secrecy="false"`` write the exception keys.

Raw plist fragments for ``NSAppTransportSecurity`` (or ``TSKConfiguration``) arrive through
``<edit-config file="*-Info.plist" target="...">`` and ``<config-file target="*-Info.plist"
parent="...">``. Everything is merged into one Info.plist dictionary and interpreted by
``pinlint.parsers.config.ats``, with the line of the element or attribute that wrote each key. Entries inside
``<platform name="android">`` do not reach iOS and are skipped.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pinlint.parsers import SourceFile
from pinlint.parsers.config import ats, xmlsafe

if TYPE_CHECKING:  # lxml loads with the first XML file parsed (pinlint.parsers.config.xmlsafe)
    from lxml import etree

NAME = "cordova"

TRIGGERS = (b"<access", b"<allow-navigation", b"NSAppTransportSecurity", b"TSKConfiguration")

NEUTRALISING_ATTRIBUTES = (
    ("allows-arbitrary-loads-in-web-content", ats.IN_WEB_CONTENT),
    ("allows-arbitrary-loads-for-media", ats.FOR_MEDIA),
    ("allows-arbitrary-loads-in-media", ats.FOR_MEDIA),
    ("allows-local-networking", ats.LOCAL_NETWORKING),
)
FRAGMENT_ROOTS = frozenset({ats.ATS, ats.TRUSTKIT})

_ORIGIN = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*|\*)://(?P<host>[^/:?#]*)")


def accepts(name: str, head: bytes) -> bool:
    return name == "config.xml" and b"<widget" in head


class _Builder:
    """Collects the Info.plist dictionary cordova-ios would write, with where each key comes from."""

    def __init__(self, document: xmlsafe.XmlDocument) -> None:
        self.document = document
        self.root: dict[str, object] = {}
        self.positions: dict[ats.PathKey, tuple[int, int]] = {}
        self.settings: dict[ats.PathKey, str] = {}

    def place(self, path: ats.PathKey, element: etree._Element, attribute: str | None, setting: str) -> None:
        span = self.document.span(element, attribute)
        self.positions[path] = (span.line, span.col)
        self.settings[path] = setting

    def transport_settings(self) -> dict[str, object]:
        value = self.root.setdefault(ats.ATS, {})
        if not isinstance(value, dict):
            value = {}
            self.root[ats.ATS] = value
        return value

    def access(self, element: etree._Element, attribute: str, url: str) -> None:
        tag = xmlsafe.local_name(element)
        written = f'<{tag} {attribute}="{url}">'
        if url == "*":
            self.arbitrary_loads(element, attribute, written, neutralisable=True)
            return
        match = _ORIGIN.match(url)
        if match is None:
            return
        host = match.group("host").lower()
        if host == "*":
            # ``http://*/*`` parses to the host name "*", which current cordova-ios merges with the ``*``
            # entry. Custom schemes (``cdvfile://*``) parse the same way there, but older versions skipped
            # them and they are meant for local files: only web schemes are taken as arbitrary loads.
            if match.group("scheme").lower() in ("http", "https", "*"):
                self.arbitrary_loads(element, attribute, written, neutralisable=False)
            return
        subdomains = host.startswith("*.")
        if subdomains:
            host = host[2:]
        if not host or "*" in host:
            return
        exceptions = self.transport_settings().setdefault(ats.EXCEPTION_DOMAINS, {})
        assert isinstance(exceptions, dict)
        entry = exceptions.setdefault(host, {})
        path: ats.PathKey = (ats.ATS, ats.EXCEPTION_DOMAINS, host)
        if path not in self.positions:
            self.place(path, element, attribute, written)
        if subdomains:
            entry[ats.INCLUDES_SUBDOMAINS] = True
        scheme = match.group("scheme").lower()
        if scheme in ("http", "*"):
            entry["NSExceptionAllowsInsecureHTTPLoads"] = True
            self.place((*path, "NSExceptionAllowsInsecureHTTPLoads"), element, attribute, written)
        tls = element.get("minimum-tls-version")
        if tls and tls.strip() != "TLSv1.2":
            entry["NSExceptionMinimumTLSVersion"] = tls.strip()
            self.place((*path, "NSExceptionMinimumTLSVersion"), element, "minimum-tls-version",
                       f'{written[:-1]} minimum-tls-version="{tls.strip()}">')
        forward_secrecy = element.get("requires-forward-secrecy")
        if forward_secrecy is not None and forward_secrecy.strip() != "true":
            entry["NSExceptionRequiresForwardSecrecy"] = False
            self.place((*path, "NSExceptionRequiresForwardSecrecy"), element, "requires-forward-secrecy",
                       f'{written[:-1]} requires-forward-secrecy="{forward_secrecy.strip()}">')

    def arbitrary_loads(
        self, element: etree._Element, attribute: str, written: str, neutralisable: bool,
    ) -> None:
        settings = self.transport_settings()
        path: ats.PathKey = (ats.ATS, ats.ALLOWS_ARBITRARY_LOADS)
        if ats.ALLOWS_ARBITRARY_LOADS not in settings:
            settings[ats.ALLOWS_ARBITRARY_LOADS] = True
            self.place(path, element, attribute, written)
        if not neutralisable:
            return
        for name, key in NEUTRALISING_ATTRIBUTES:
            if (element.get(name) or "").strip() == "true":
                settings[key] = True
                self.place((ats.ATS, key), element, name, f'{written[:-1]} {name}="true">')

    def fragment(self, element: etree._Element, root_key: str, overwrite: bool) -> None:
        children = [child for child in element if isinstance(child.tag, str)]
        if not children:
            return
        value = self.plist_value(children[0], (root_key,))
        current = self.root.get(root_key)
        if not overwrite and isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        else:
            self.root[root_key] = value

    def plist_value(self, element: etree._Element, path: ats.PathKey) -> object:
        """A plist element of a fragment as a Python value, noting where each key is written."""
        tag = xmlsafe.local_name(element)
        children = [child for child in element if isinstance(child.tag, str)]
        if tag == "dict":
            result: dict[str, object] = {}
            key: str | None = None
            for child in children:
                if xmlsafe.local_name(child) == "key":
                    key = xmlsafe.text_of(child)
                    span = self.document.span(child)
                    member = (*path, key)
                    self.positions[member] = (span.line, span.col)
                    self.settings.pop(member, None)
                elif key is not None:
                    result[key] = self.plist_value(child, (*path, key))
                    key = None
            return result
        if tag == "array":
            items: list[object] = []
            for index, child in enumerate(children):
                span = self.document.span(child)
                item = (*path, index)
                self.positions[item] = (span.line, span.col)
                items.append(self.plist_value(child, item))
            return items
        return _scalar(tag, element.text or "")


def _scalar(tag: str, text: str) -> object:
    if tag == "true":
        return True
    if tag == "false":
        return False
    if tag == "integer":
        try:
            return int(text.strip())
        except ValueError:
            return text
    if tag == "real":
        try:
            return float(text.strip())
        except ValueError:
            return text
    if tag == "data":
        try:
            return base64.b64decode("".join(text.split()))
        except (binascii.Error, ValueError):
            return text
    return text


def _merge(target: dict[str, object], update: dict[str, object]) -> None:
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        else:
            target[key] = value


def _ios_children(root: etree._Element) -> Iterator[etree._Element]:
    """Direct children of ``<widget>``, then those of ``<platform name="ios">``."""
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if xmlsafe.local_name(child) == "platform":
            if (child.get("name") or "").strip().lower() == "ios":
                yield from (grand for grand in child if isinstance(grand.tag, str))
            continue
        yield child


def _targets_info_plist(element: etree._Element, attribute: str) -> bool:
    return (element.get(attribute) or "").strip().endswith("Info.plist")


_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
_LEADING_COMMENTS = re.compile(rb"^(?:\s|<!--.*?-->)*", re.DOTALL)


def without_misplaced_declaration(data: bytes) -> bytes:
    """Blank an XML declaration written after a leading comment (a licence header), keeping the lines.

    Strict XML parsers refuse it; the parser cordova uses reads such files, so the app builds with them.
    """
    body_start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    lead = _LEADING_COMMENTS.match(data, body_start)
    if lead is None or lead.end() == body_start or b"<!--" not in lead.group():
        return data
    match = _DECLARATION.match(data, lead.end())
    if match is None:
        return data
    blank = bytes(byte if byte in b"\r\n" else 0x20 for byte in match.group())
    return data[: match.start()] + blank + data[match.end():]


def is_generated_copy(source: SourceFile, root: etree._Element) -> bool:
    """A ``config.xml`` that no cordova-ios prepare turns into the app's Info.plist.

    Android resource copies (``res/xml/config.xml``) never reach iOS, and the file Capacitor writes beside
    its Info.plist for Cordova plugins (a ``<widget>`` with no ``id``, which a Cordova project's own
    ``config.xml`` has, in the native target folder ``ios/App/App``) is read by plugins only: Capacitor
    apps keep their ATS settings in the committed Info.plist.
    """
    parts = source.display.replace("\\", "/").split("/")
    if len(parts) >= 3 and parts[-3:-1] == ["res", "xml"]:
        return True
    if root.get("id") is not None:
        return False
    folder = source.path.parent
    beside_native_target = parts[-3:-1] == ["App", "App"]
    try:
        beside_native_target = beside_native_target or any(
            (folder / name).is_file() for name in ("Info.plist", "capacitor.config.json")
        )
    except OSError:
        return beside_native_target
    return beside_native_target


def parse(source: SourceFile) -> list[object]:
    cleaned = without_misplaced_declaration(source.data)
    if cleaned is not source.data:
        source = dataclasses.replace(source, data=cleaned)
    document = xmlsafe.parse(source)
    if not isinstance(document, xmlsafe.XmlDocument):
        return [document]
    if xmlsafe.local_name(document.root) != "widget" or is_generated_copy(source, document.root):
        return []
    builder = _Builder(document)
    children = list(_ios_children(document.root))
    for element in children:
        tag = xmlsafe.local_name(element)
        if tag == "access" and element.get("origin") is not None:
            builder.access(element, "origin", (element.get("origin") or "").strip())
        elif tag == "allow-navigation" and element.get("href") is not None:
            builder.access(element, "href", (element.get("href") or "").strip())
    for element in children:
        tag = xmlsafe.local_name(element)
        if tag == "edit-config" and _targets_info_plist(element, "file"):
            root_key = (element.get("target") or "").strip()
            if root_key in FRAGMENT_ROOTS:
                builder.fragment(element, root_key, (element.get("mode") or "").strip() == "overwrite")
        elif tag == "config-file" and _targets_info_plist(element, "target"):
            root_key = (element.get("parent") or "").strip()
            if root_key in FRAGMENT_ROOTS:
                builder.fragment(element, root_key, overwrite=False)
    if not builder.root:
        return []
    locator = ats.Locator(source.display, builder.positions, settings=builder.settings)
    return ats.interpret(builder.root, locator, origin="cordova")
