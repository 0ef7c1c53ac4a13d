"""Android intermediate facts: what one manifest, network security config or Gradle file says, as written.

Parsers (``pinlint.parsers.config.android_manifest``, ``android_nsc``, ``gradle``, and the binary manifest
reader) produce them; ``pinlint.resolve.android`` combines them per module (manifest to config, Gradle
minSdk/targetSdk to platform defaults, debug builds) into the generic facts of ``pinlint.model.facts``
that checks read. Nothing here decides a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pinlint.model.facts import Pin, Span

# --- AndroidManifest.xml -----------------------------------------------------------------------------

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


# --- network security config (res/xml) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NscCertificates:
    """One ``<certificates>`` entry. ``override_pins`` is as written (None when absent)."""

    src: str
    override_pins: bool | None
    span: Span
    src_span: Span
    override_span: Span | None = None


@dataclass(frozen=True, slots=True)
class NscTrustAnchors:
    certificates: tuple[NscCertificates, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class NscPinSet:
    """A ``<pin-set>``; ``expiration`` is None when absent or malformed (then a problem is recorded)."""

    pins: tuple[Pin, ...]
    span: Span
    expiration: date | None = None
    expiration_span: Span | None = None


@dataclass(frozen=True, slots=True)
class NscDomain:
    name: str
    include_subdomains: bool
    span: Span


@dataclass(frozen=True, slots=True)
class NscTrustKitConfig:
    """TrustKit-Android's ``<trustkit-config>``; ``enforce_pinning`` is None when the attribute is absent."""

    enforce_pinning: bool | None
    span: Span
    enforce_span: Span | None = None
    disable_default_report_uri: bool = False
    report_uris: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NscScope:
    """A ``base-config``, kind ``base``, ``domain-config`` (``domain``) or ``debug-overrides`` (``debug``)."""

    kind: str
    span: Span
    domains: tuple[NscDomain, ...] = ()
    cleartext: bool | None = None
    cleartext_span: Span | None = None
    trust_anchors: NscTrustAnchors | None = None
    pin_set: NscPinSet | None = None
    trustkit: NscTrustKitConfig | None = None
    children: tuple[NscScope, ...] = ()

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(domain.name for domain in self.domains)

    def walk(self) -> Iterator[NscScope]:
        """This scope and every nested one, parents first."""
        stack: list[NscScope] = [self]
        while stack:
            scope = stack.pop()
            yield scope
            stack.extend(reversed(scope.children))


@dataclass(frozen=True, slots=True)
class NscProblem:
    """A load-time error. ``in_debug_overrides``: only read by debuggable builds."""

    reason: str
    span: Span
    in_debug_overrides: bool = False


@dataclass(frozen=True, slots=True)
class NetworkSecurityConfigFile:
    """One parsed network security config file (the raw tree, before any inheritance)."""

    file: str
    display: str
    span: Span
    base: NscScope | None
    domain_configs: tuple[NscScope, ...]
    debug_overrides: NscScope | None
    problems: tuple[NscProblem, ...]
    context_only: bool = False

    @property
    def resource_name(self) -> str:
        return Path(self.file).stem


# --- Gradle build scripts, version catalogs, buildSrc and convention-plugin constants ---------------------

#: Keys of the project-wide defaults a convention plugin sets (``defaultConfig { minSdk = 21 }``).
CONVENTION_MIN_SDK = "<convention>.minSdk"
CONVENTION_TARGET_SDK = "<convention>.targetSdk"


@dataclass(frozen=True, slots=True)
class GradleSetting:
    """A setting statement: ``value`` is None when it is not a literal pinlint can read."""

    value: int | bool | None
    text: str
    span: Span
    block: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GradleBuildScript:
    """What a module's build script says about targetSdk and debuggable build types."""

    file: str
    display: str
    span: Span
    target_sdk: tuple[GradleSetting, ...] = ()
    min_sdk: tuple[GradleSetting, ...] = ()
    #: build type name -> its explicit ``debuggable`` setting
    debuggable: dict[str, GradleSetting] = field(default_factory=dict)
    #: ``ext { name = 34 }`` / ``ext.name = 34`` values, for ``rootProject.ext.name`` references
    ext_values: dict[str, int] = field(default_factory=dict)
    #: the Android library plugin is applied (its manifest merges into an app; no defaults of its own)
    is_library: bool = False
    context_only: bool = False

    def __hash__(self) -> int:
        return hash((self.file, self.display))

    @property
    def target_sdk_declared(self) -> bool:
        return bool(self.target_sdk)

    @property
    def min_sdk_declared(self) -> bool:
        return bool(self.min_sdk)

    def resolved_target_sdk(self, ext_values: dict[str, int] | None = None) -> int | None:
        """The module's targetSdk: ``defaultConfig`` wins; otherwise one agreed value; else unknown."""
        return self._resolved(self.target_sdk, ext_values)

    def resolved_min_sdk(self, ext_values: dict[str, int] | None = None) -> int | None:
        """The module's minSdk, by the same rule as targetSdk."""
        return self._resolved(self.min_sdk, ext_values)

    def _resolved(self, settings: tuple[GradleSetting, ...], ext_values: dict[str, int] | None) -> int | None:
        candidates = [s for s in settings if "defaultConfig" in s.block] or list(settings)
        if not candidates:
            return None
        if any("defaultConfig" in s.block for s in candidates):
            candidates = candidates[-1:]
        values = {self._value(setting, ext_values) for setting in candidates}
        if len(values) != 1:
            return None
        return values.pop()

    def _value(self, setting: GradleSetting, ext_values: dict[str, int] | None) -> int | None:
        if isinstance(setting.value, int) and not isinstance(setting.value, bool):
            return setting.value
        for name in (_ext_reference(setting.text), _catalog_reference(setting.text), _constant_reference(setting.text)):
            if name is None:
                continue
            if name in self.ext_values:
                return self.ext_values[name]
            if ext_values and name in ext_values:
                return ext_values[name]
        return None


def _ext_reference(text: str) -> str | None:
    """``NAME`` for ``rootProject.ext.NAME`` / ``ext.NAME`` / ``rootProject.NAME`` / ``project.ext.NAME``."""
    parts = text.replace(" ", "").split(".")
    if len(parts) == 3 and parts[0] in ("rootProject", "project") and parts[1] == "ext":
        return parts[2] if parts[2].isidentifier() else None
    if len(parts) == 2 and parts[0] in ("ext", "rootProject") and parts[1].isidentifier():
        return parts[1]
    return None


def _catalog_reference(text: str) -> str | None:
    """``libs.versions.NAME`` for ``libs.versions.min.sdk.get().toInt()`` and the like (aliases normalised:
    ``min-sdk``, ``min_sdk`` and ``min.sdk`` are one alias)."""
    compact = text.replace(" ", "")
    for suffix in (".get().toInt()", ".get().toInteger()", ".get().toString().toInt()", ".get()", ".toInt()"):
        if compact.endswith(suffix):
            compact = compact[: -len(suffix)]
            break
    parts = compact.split(".")
    if len(parts) >= 3 and parts[1] == "versions" and all(part.isidentifier() for part in parts):
        return "libs.versions." + catalog_alias("-".join(parts[2:]))
    return None


def catalog_alias(name: str) -> str:
    """A version-catalog alias normalised: ``min-sdk``, ``min_sdk`` and ``min.sdk`` are one alias."""
    return name.replace("_", "-").replace(".", "-").lower()


def _constant_reference(text: str) -> str | None:
    """``Versions.MIN_SDK`` / ``AndroidConfig.minSdk`` / ``MIN_SDK``: a constant of ``buildSrc``."""
    compact = text.replace(" ", "")
    parts = compact.split(".")
    if 1 <= len(parts) <= 3 and all(part.isidentifier() for part in parts):
        return "const:" + ".".join(parts[-2:])
    return None


@dataclass(frozen=True, slots=True)
class GradleConstants:
    """Literal values every module of the project can use: version-catalog ``[versions]`` entries
    (``libs.versions.NAME``), ``buildSrc``/convention-plugin constants (``const:Object.NAME``), and the
    ``minSdk``/``targetSdk`` a convention plugin sets itself."""

    display: str
    values: dict[str, int]

    def __hash__(self) -> int:
        return hash(self.display)
