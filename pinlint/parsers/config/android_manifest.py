"""``AndroidManifest.xml``: the settings that decide which network security rules an app runs with.

Read from ``<application>``: ``networkSecurityConfig`` (``@xml/NAME``), ``usesCleartextTraffic`` and
``debuggable``; from ``<uses-sdk>``: ``targetSdkVersion`` and ``minSdkVersion``. Android attributes are
matched by their namespace URI, never by the ``android:`` prefix, so a manifest that binds the namespace to
another prefix is read correctly and a look-alike attribute in another namespace is ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pinlint.model.android import AndroidManifest, ManifestAttribute
from pinlint.parsers import SourceFile
from pinlint.parsers.config import xmlsafe
from pinlint.vocab import android_layout

if TYPE_CHECKING:  # lxml loads with the first XML file parsed (pinlint.parsers.config.xmlsafe)
    from lxml import etree

NAME = "android_manifest"
#: The project context a file of this kind needs when scanned alone (``pinlint.discover.android``).
CONTEXT = "android-manifest"
ANDROID_NS = "http://schemas.android.com/apk/res/android"


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
