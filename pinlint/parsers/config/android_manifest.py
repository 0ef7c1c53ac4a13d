"""``AndroidManifest.xml``: the settings that decide which network security rules an app runs with.

Read from ``<application>``: ``networkSecurityConfig`` (``@xml/NAME``), ``usesCleartextTraffic`` and
``debuggable``; from ``<uses-sdk>``: ``targetSdkVersion`` and ``minSdkVersion``. Android attributes are
matched by their namespace URI, never by the ``android:`` prefix, so a manifest that binds the namespace to
another prefix is read correctly and a look-alike attribute in another namespace is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pinlint.model.facts import Span
from pinlint.parsers import SourceFile
from pinlint.parsers.config import xmlsafe
from pinlint.vocab import android_layout

if TYPE_CHECKING:  # lxml loads with the first XML file parsed (pinlint.parsers.config.xmlsafe)
    from lxml import etree

NAME = "android_manifest"
#: The project context a file of this kind needs when scanned alone (``pinlint.discover.android``).
CONTEXT = "android-manifest"
ANDROID_NS = "http://schemas.android.com/apk/res/android"

_XML_REFERENCE = re.compile(r"^@(?:[A-Za-z][\w.]*:)?xml/(\w+)$")


@dataclass(frozen=True, slots=True)
class ManifestAttribute:
    """An attribute as written (``value``) and where; ``flag`` is its boolean value when it is one."""

    value: str
    span: Span

    @property
    def flag(self) -> bool | None:
        lowered = self.value.strip().lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
        return None  # a resource (@bool/x) or a build placeholder (${x}): unknown here


@dataclass(frozen=True, slots=True)
class AndroidManifest:
    """One manifest. ``application_span`` is the ``<application`` start tag (None when there is none)."""

    file: str
    display: str
    span: Span
    application_span: Span | None = None
    network_security_config: ManifestAttribute | None = None
    uses_cleartext_traffic: ManifestAttribute | None = None
    debuggable: ManifestAttribute | None = None
    target_sdk: ManifestAttribute | None = None
    min_sdk: ManifestAttribute | None = None
    context_only: bool = False

    @property
    def config_name(self) -> str | None:
        """``NAME`` of ``@xml/NAME``, or None when the reference is absent or not a plain resource name."""
        if self.network_security_config is None:
            return None
        match = _XML_REFERENCE.match(self.network_security_config.value.strip())
        return match.group(1) if match else None

    @property
    def target_sdk_value(self) -> int | None:
        return _level(self.target_sdk)

    @property
    def min_sdk_value(self) -> int | None:
        return _level(self.min_sdk)


def _level(attribute: ManifestAttribute | None) -> int | None:
    if attribute is None:
        return None
    text = attribute.value.strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


def accepts(name: str, head: bytes) -> bool:
    return name == android_layout.MANIFEST_NAME


def _attribute(document: xmlsafe.XmlDocument, element: etree._Element, name: str) -> ManifestAttribute | None:
    value = element.get(f"{{{ANDROID_NS}}}{name}")
    if value is None:
        return None
    return ManifestAttribute(value, document.span(element, name))


def parse(source: SourceFile) -> list[object]:
    document = xmlsafe.parse(source)
    if not isinstance(document, xmlsafe.XmlDocument):
        return [document]
    root = document.root
    if xmlsafe.local_name(root) != "manifest":
        return []
    application = None
    uses_sdk = None
    for child in root:
        if not isinstance(child.tag, str):
            continue
        name = xmlsafe.local_name(child)
        if name == "application" and application is None:
            application = child
        elif name == "uses-sdk" and uses_sdk is None:
            uses_sdk = child
    manifest = AndroidManifest(
        file=source.path.as_posix(), display=source.display, span=document.span(root),
        application_span=document.span(application) if application is not None else None,
        network_security_config=_attribute(document, application, "networkSecurityConfig")
        if application is not None else None,
        uses_cleartext_traffic=_attribute(document, application, "usesCleartextTraffic")
        if application is not None else None,
        debuggable=_attribute(document, application, "debuggable") if application is not None else None,
        target_sdk=_attribute(document, uses_sdk, "targetSdkVersion") if uses_sdk is not None else None,
        min_sdk=_attribute(document, uses_sdk, "minSdkVersion") if uses_sdk is not None else None,
        context_only=source.context_only,
    )
    return [manifest]
