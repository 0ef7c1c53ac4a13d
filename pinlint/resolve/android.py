"""Android: join manifests, Gradle scripts and network security configs per module, and apply the
platform's semantics to produce the generic facts the checks read.

A module is the folder that holds ``src/<sourceSet>/AndroidManifest.xml`` (or a bare
``AndroidManifest.xml``), its ``build.gradle(.kts)`` and its ``res/xml*/`` configs. For each module this
resolver works out:

- targetSdk (the Gradle script wins over ``<uses-sdk>``; unknown when neither gives a literal), which
  decides the platform defaults: cleartext allowed below 28, user CAs trusted at 23 and below;
- which config each manifest names (``@xml/NAME``), and a missing one (CFG904);
- the ``NAME_debug.xml`` companion, read only by debuggable builds and only for its ``debug-overrides``,
  and only when the main config has none;
- inheritance: nested ``domain-config`` -> enclosing ``domain-config`` -> ``base-config`` -> defaults, with
  trust anchors inherited as a whole list and pin sets only through nesting;
- ``debug-overrides`` applies only to debuggable builds (its ``overridePins`` defaults to true);
- ``usesCleartextTraffic`` is not read when a config is set;
- a config no manifest references is not applied by the platform: only what TrustKit-Android may read
  from it (pin sets, ``trustkit-config``) is judged, never its cleartext or trust-anchor settings;
- a ``@raw/NAME`` trust anchor whose resource exists in no module of the scan (CFG904);
- source sets other than ``main``/``release`` (``debug``, flavours) mark their facts with a variant.

A config found with no manifest (a file staged alone) is still checked on its own; settings that depend
on targetSdk are only judged when targetSdk is known.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pinlint.model.android import (
    CONVENTION_MIN_SDK,
    CONVENTION_TARGET_SDK,
    AndroidManifest,
    GradleBuildScript,
    GradleConstants,
    NetworkSecurityConfigFile,
    NscPinSet,
    NscScope,
    NscTrustAnchors,
    NscTrustKitConfig,
)
from pinlint.model.facts import (
    AnchorSource,
    AndroidResources,
    CleartextPolicy,
    ConfigProblem,
    FactStore,
    MissingReference,
    Note,
    PinSet,
    Span,
    TrustAnchors,
)
from pinlint.vocab import android_layout
from pinlint.vocab.urls import is_local_host

PLATFORM = "android"
NSC = "android-nsc"
MANIFEST = "android-manifest"
TRUSTKIT = "trustkit-android"
CLEARTEXT_DEFAULT_BELOW = 28
USER_CA_DEFAULT_UP_TO = 23
DEBUG_SUFFIX = "_debug"


@dataclass
class Module:
    """Everything found for one Android module folder."""

    folder: Path
    manifests: list[tuple[AndroidManifest, str]] = field(default_factory=list)
    configs: list[tuple[NetworkSecurityConfigFile, str]] = field(default_factory=list)
    scripts: list[GradleBuildScript] = field(default_factory=list)
    target_sdk: int | None = None
    min_sdk: int | None = None
    release_debuggable: bool = False
    is_library: bool = False
    #: what discovery listed in the module's resource folders
    resources: AndroidResources = field(default_factory=lambda: AndroidResources(""))

    def config_names(self) -> set[str]:
        return {config.resource_name for config, _set in self.configs}

    def primary_manifests(self) -> list[AndroidManifest]:
        """The manifests whose settings reach a release build (main or bare); every one if none is."""
        main = [m for m, source_set in self.manifests if android_layout.variant_of(source_set) is None]
        return main or [manifest for manifest, _set in self.manifests]


@dataclass(frozen=True, slots=True)
class _Effective:
    """Values a domain-config inherits from its enclosing scopes (pin sets only through nesting)."""

    pin_set: NscPinSet | None = None
    trustkit: NscTrustKitConfig | None = None


def resolve(store: FactStore) -> None:
    configs = store.of(NetworkSecurityConfigFile)
    manifests = store.of(AndroidManifest)
    scripts = store.of(GradleBuildScript)
    if not configs and not manifests:
        return
    modules = _group(configs, manifests, scripts, store.of(GradleConstants))
    listed = {Path(resources.module): resources for resources in store.of(AndroidResources)}
    for module in modules.values():
        module.resources = listed.get(module.folder, AndroidResources(module.folder.as_posix()))
    all_config_names = {config.resource_name for config in configs}
    scan = _Scan(
        config_names=all_config_names,
        referenced=_referenced_names(manifests),
        resource_folders=[listed[folder] for folder in sorted(module_folders(store)) if folder in listed],
    )
    emitted: list[object] = []
    for module in modules.values():
        emitted.extend(_resolve_module(module, scan))
    store.extend(_dedupe_defaults(emitted))
    store.attributes["android_modules"] = {
        module.folder.as_posix(): {
            "target_sdk": module.target_sdk, "min_sdk": module.min_sdk,
            "release_debuggable": module.release_debuggable,
        }
        for module in modules.values()
    }


def module_folders(store: FactStore) -> set[Path]:
    """The Android module folders of a scan (and every Gradle script's folder): the folders whose
    resources discovery lists (``pinlint.discover.android.module_resources``) before resolution."""
    configs = store.of(NetworkSecurityConfigFile)
    manifests = store.of(AndroidManifest)
    if not configs and not manifests:
        return set()
    folders = {android_layout.locate_manifest(Path(manifest.file)).module for manifest in manifests}
    folders |= {android_layout.locate_resource(Path(config.file)).module for config in configs}
    folders |= {Path(script.file).parent for script in store.of(GradleBuildScript)}
    return folders


@dataclass
class _Scan:
    """What the whole scan knows that one module's resolution needs."""

    config_names: set[str]
    #: config names some manifest of the scan references; None when a reference cannot be read
    #: (a build placeholder), so any config may be the one in use
    referenced: set[str] | None
    #: resources of every module in the scan (resources of library modules merge into the app)
    resource_folders: list[AndroidResources]
    _raw_names: set[str] | None = None

    def raw_exists(self, module: Module, name: str) -> bool:
        if module.resources.raw_named(name):
            return True
        if self._raw_names is None:
            self._raw_names = {
                path.rsplit("/", 1)[-1].split(".", 1)[0]
                for folder in self.resource_folders
                for path in folder.raw_named()
            }
        return name in self._raw_names


def _referenced_names(manifests: list[AndroidManifest]) -> set[str] | None:
    names: set[str] = set()
    for manifest in manifests:
        if manifest.network_security_config is None:
            continue
        if manifest.config_name is None:
            return None
        names.add(manifest.config_name)
    return names


def _group(
    configs: list[NetworkSecurityConfigFile],
    manifests: list[AndroidManifest],
    scripts: list[GradleBuildScript],
    constants: list[GradleConstants],
) -> dict[Path, Module]:
    modules: dict[Path, Module] = {}
    shared: dict[str, int] = {}
    for found in sorted(constants, key=lambda item: item.display):
        for key, value in found.values.items():
            shared.setdefault(key, value)

    def module_at(folder: Path) -> Module:
        return modules.setdefault(folder, Module(folder))

    for manifest in manifests:
        location = android_layout.locate_manifest(Path(manifest.file))
        source_set = _test_module_set(Path(manifest.file), manifest.display, location)
        module_at(location.module).manifests.append((manifest, source_set))
    for config in configs:
        location = android_layout.locate_resource(Path(config.file))
        source_set = _test_module_set(Path(config.file), config.display, location)
        module_at(location.module).configs.append((config, source_set))
    ext_values: list[tuple[Path, dict[str, int]]] = []
    for script in scripts:
        folder = Path(script.file).parent
        if script.ext_values:
            ext_values.append((folder, script.ext_values))
        if folder in modules:
            modules[folder].scripts.append(script)
    for module in modules.values():
        _settle(module, ext_values, shared)
    return modules


def _test_module_set(path: Path, display: str, location: android_layout.Location) -> str:
    """The source set, with the release sets of a test module counted as the ``test`` set."""
    if location.source_set in android_layout.RELEASE_SETS and android_layout.in_test_module(path, display, location):
        return "test"
    return location.source_set


def _settle(module: Module, ext_values: list[tuple[Path, dict[str, int]]], shared: dict[str, int]) -> None:
    """minSdk and targetSdk (the module's Gradle script, with the project's catalog and buildSrc constants;
    else a convention plugin's own value; else ``<uses-sdk>``) and whether release builds are debuggable."""
    inherited: dict[str, int] = dict(shared)
    for folder, values in sorted(ext_values, key=lambda item: len(item[0].parts)):
        if module.folder == folder or folder in module.folder.parents:
            inherited.update(values)
    declared = [script for script in module.scripts if script.target_sdk_declared]
    if declared:
        module.target_sdk = declared[0].resolved_target_sdk(inherited)
    elif CONVENTION_TARGET_SDK in shared:
        module.target_sdk = shared[CONVENTION_TARGET_SDK]
    else:
        written = {m.target_sdk_value for m in module.primary_manifests() if m.target_sdk is not None}
        module.target_sdk = written.pop() if len(written) == 1 else None
    declared = [script for script in module.scripts if script.min_sdk_declared]
    if declared:
        module.min_sdk = declared[0].resolved_min_sdk(inherited)
    elif CONVENTION_MIN_SDK in shared:
        module.min_sdk = shared[CONVENTION_MIN_SDK]
    else:
        levels = {m.min_sdk_value for m in module.primary_manifests() if m.min_sdk is not None}
        module.min_sdk = levels.pop() if len(levels) == 1 else None
    module.is_library = any(script.is_library for script in module.scripts)
    for script in module.scripts:
        release = script.debuggable.get("release")
        if release is not None and release.value is True:
            module.release_debuggable = True
    for manifest in module.primary_manifests():
        if manifest.debuggable is not None and manifest.debuggable.flag is True:
            module.release_debuggable = True


def _effective_reference(
    module: Module, manifest: AndroidManifest, source_set: str,
) -> AndroidManifest | None:
    """The manifest whose ``networkSecurityConfig`` applies to ``manifest``'s build (merged with main)."""
    if manifest.network_security_config is not None:
        return manifest
    if android_layout.variant_of(source_set) is not None:
        for primary in module.primary_manifests():
            if primary.network_security_config is not None:
                return primary
    return None


def _resolve_module(module: Module, scan: _Scan) -> Iterator[object]:
    if module.target_sdk is None:
        for script in module.scripts:
            for setting in script.target_sdk:
                if setting.value is None:
                    yield Note(setting.span, f"targetSdk '{setting.text}' is not a literal pinlint can read; "
                                             "platform defaults that depend on it are not judged")
    yield from _manifest_facts(module, scan.config_names)
    for config, source_set in module.configs:
        yield from _config_facts(module, config, source_set, scan)


# --- manifests -------------------------------------------------------------------------------------


def _manifest_facts(module: Module, all_config_names: set[str]) -> Iterator[object]:
    primaries = module.primary_manifests()
    for manifest, source_set in module.manifests:
        variant = android_layout.variant_of(source_set)
        reference = manifest.network_security_config
        if reference is not None and manifest.config_name is not None:
            name = manifest.config_name
            exists = name in all_config_names or bool(module.resources.xml_named(name))
            if not exists:
                yield MissingReference(MANIFEST, PLATFORM, reference.value.strip(), reference.span, variant)
        effective = _effective_reference(module, manifest, source_set)
        cleartext = manifest.uses_cleartext_traffic
        if effective is not None:
            if cleartext is not None and cleartext.flag is True and (module.min_sdk or 0) < CONFIG_READ_FROM:
                yield _old_devices_cleartext(module, cleartext.span, variant)
            elif cleartext is not None:
                yield Note(cleartext.span, "android:usesCleartextTraffic is not read when a network security "
                                           "config is set (API 24+); the config decides")
            continue
        if cleartext is not None and cleartext.flag is True:
            yield CleartextPolicy(
                MANIFEST, PLATFORM, "app", True, cleartext.span,
                setting='android:usesCleartextTraffic="true"', variant=variant,
            )
        if manifest not in primaries or module.is_library or manifest.application_span is None:
            continue
        sdk = module.target_sdk
        if sdk is None:
            continue
        span = manifest.application_span
        if cleartext is None and sdk < CLEARTEXT_DEFAULT_BELOW:
            yield CleartextPolicy(
                MANIFEST, PLATFORM, "app", True, span, by_default=True, variant=variant,
                setting=f"targetSdk {sdk} with no usesCleartextTraffic and no network security config",
            )
        if sdk <= USER_CA_DEFAULT_UP_TO:
            yield _default_user_anchors(MANIFEST, "app", span, (), variant)


#: The API level from which the platform reads a network security config (Android 7.0); below it,
#: ``android:usesCleartextTraffic`` decides even when a config is set.
CONFIG_READ_FROM = 24


def _old_devices_cleartext(module: Module, span: Span, variant: str | None) -> CleartextPolicy:
    """``usesCleartextTraffic="true"`` next to a network security config: Android 6.0 and lower obey it."""
    if module.min_sdk is None:
        setting = ('android:usesCleartextTraffic="true" on Android 6.0 and lower, if the app supports them '
                   "(minSdk unknown; Android 7.0+ reads the network security config instead)")
        confidence: str | None = "low"
    else:
        setting = (f'android:usesCleartextTraffic="true" on Android 6.0 and lower (minSdk {module.min_sdk}; '
                   "Android 7.0+ reads the network security config instead)")
        confidence = None
    return CleartextPolicy(MANIFEST, PLATFORM, "app", True, span, setting=setting, variant=variant,
                           confidence=confidence)


def _default_user_anchors(
    origin: str, scope: str, span: Span, hosts: tuple[str, ...], variant: str | None,
) -> TrustAnchors:
    sources = (AnchorSource("system", False, span), AnchorSource("user", False, span))
    return TrustAnchors(origin, PLATFORM, scope, sources, span, hosts=hosts, by_default=True, variant=variant)


# --- network security configs ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Role:
    """How the platform uses a config file: ``in_effect`` configs get targetSdk defaults."""

    kind: str  # "main" | "standalone" | "elsewhere" | "unreferenced" | "companion" | "unused"
    variant: str | None
    default_span: Span | None = None

    @property
    def in_effect(self) -> bool:
        return self.kind in ("main", "standalone")

    @property
    def applied(self) -> bool:
        """Whether the platform applies the config (an unreferenced one is at most read by TrustKit)."""
        return self.kind != "unreferenced"


def _role(module: Module, config: NetworkSecurityConfigFile, source_set: str, scan: _Scan) -> _Role:
    own_variant = android_layout.variant_of(source_set)
    name = config.resource_name
    referencing: list[tuple[AndroidManifest, str]] = []
    unresolved_reference = False
    for manifest, manifest_set in module.manifests:
        effective = _effective_reference(module, manifest, manifest_set)
        if effective is None:
            continue
        if effective.config_name is None:
            unresolved_reference = True
        elif effective.config_name == name:
            referencing.append((manifest, manifest_set))
    if referencing:
        variants = [android_layout.variant_of(manifest_set) for _manifest, manifest_set in referencing]
        variant = own_variant if own_variant is not None else (None if None in variants else variants[0])
        spans = [m.application_span for m, s in referencing if android_layout.variant_of(s) is None]
        spans += [m.application_span for m, _s in referencing]
        default_span = next((span for span in spans if span is not None), None)
        return _Role("main", variant, default_span)
    if name.endswith(DEBUG_SUFFIX):
        main_name = name[: -len(DEBUG_SUFFIX)]
        mains = [other for other, _set in module.configs if other.resource_name == main_name]
        if mains or module.resources.xml_named(main_name):
            if any(other.debug_overrides is not None for other in mains):
                return _Role("unused", own_variant or "debug")
            return _Role("companion", own_variant or "debug")
    if unresolved_reference or not module.manifests:
        return _Role("standalone", own_variant)
    if scan.referenced is None or name in scan.referenced:
        return _Role("elsewhere", own_variant)  # a library module's config, merged into an app
    return _Role("unreferenced", own_variant)


def _config_facts(
    module: Module, config: NetworkSecurityConfigFile, source_set: str, scan: _Scan,
) -> Iterator[object]:
    role = _role(module, config, source_set, scan)
    if role.kind == "unused":
        return
    yield from _missing_raw_anchors(module, config, role, scan)
    debug_variant = None if module.release_debuggable else (role.variant or "debug")
    for problem in config.problems:
        about_debug = problem.in_debug_overrides or "<debug-overrides>" in problem.reason
        if role.kind == "companion" and not about_debug:
            continue  # the platform skips everything but debug-overrides in a NAME_debug.xml
        variant = debug_variant if problem.in_debug_overrides else role.variant
        yield ConfigProblem(NSC, PLATFORM, problem.reason, problem.span, variant)
    if config.debug_overrides is not None and config.debug_overrides.trust_anchors is not None:
        yield _anchors(config.debug_overrides.trust_anchors, "debug", (), debug_variant,
                       debug_only=not module.release_debuggable, override_default=True)
    if role.kind == "companion":
        return
    if not role.applied:
        yield Note(config.span, f"no manifest references @xml/{config.resource_name}, so the platform does not "
                                "apply it; only its pin sets are checked (TrustKit-Android may read them)")
    sdk = module.target_sdk if role.in_effect and not module.is_library else None
    yield from _base_facts(config, role, sdk)
    yield from _domain_facts(config.domain_configs, role.variant, role.applied)


def _missing_raw_anchors(
    module: Module, config: NetworkSecurityConfigFile, role: _Role, scan: _Scan,
) -> Iterator[MissingReference]:
    """``@raw/NAME`` trust anchors whose resource is in no module of the scan (CFG904).

    Only for configs in a ``res/xml*`` folder of a module whose other resources (``values``, ``raw``...)
    are in the tree too: a config copied alone, or a partial checkout, says nothing about ``res/raw``. A
    reference into another package (``@pkg:raw/x``) is not judged.
    """
    path = Path(config.file)
    if not (android_layout.is_xml_resource_dir(path.parent.name) and path.parent.parent.name == "res"):
        return
    if not module.resources.has_other_resources:
        return
    scopes: list[tuple[NscScope, str | None]] = []
    if role.kind != "companion":
        if config.base is not None:
            scopes.append((config.base, role.variant))
        scopes.extend((scope, role.variant) for top in config.domain_configs for scope in top.walk())
    if config.debug_overrides is not None:
        scopes.append((config.debug_overrides, None if module.release_debuggable else (role.variant or "debug")))
    for scope, variant in scopes:
        if scope.trust_anchors is None:
            continue
        for entry in scope.trust_anchors.certificates:
            if not entry.src.startswith("@raw/"):
                continue
            name = entry.src[len("@raw/"):]
            if not scan.raw_exists(module, name):
                yield MissingReference(NSC, PLATFORM, entry.src, entry.src_span, variant)


def _anchors(
    anchors: NscTrustAnchors, scope: str, hosts: tuple[str, ...], variant: str | None,
    debug_only: bool = False, override_default: bool = False,
) -> TrustAnchors:
    sources = tuple(
        AnchorSource(
            entry.src,
            override_default if entry.override_pins is None else entry.override_pins,
            entry.src_span,
            entry.override_span,
        )
        for entry in anchors.certificates
    )
    return TrustAnchors(NSC, PLATFORM, scope, sources, anchors.span, hosts=hosts, debug_only=debug_only,
                        variant=variant)


def _base_facts(config: NetworkSecurityConfigFile, role: _Role, sdk: int | None) -> Iterator[object]:
    base = config.base
    variant = role.variant
    if not role.applied:
        return
    if base is not None and base.cleartext is True and base.cleartext_span is not None:
        yield CleartextPolicy(NSC, PLATFORM, "base", True, base.cleartext_span,
                              setting='cleartextTrafficPermitted="true" in <base-config>', variant=variant)
    if base is not None and base.trust_anchors is not None:
        yield _anchors(base.trust_anchors, "base", (), variant)
    if sdk is None:
        return
    span = base.span if base is not None else (role.default_span or config.span)
    if (base is None or base.cleartext is None) and sdk < CLEARTEXT_DEFAULT_BELOW:
        yield CleartextPolicy(
            NSC, PLATFORM, "base", True, span, by_default=True, variant=variant,
            setting=f"targetSdk {sdk} with no cleartextTrafficPermitted in the config's base",
        )
    if (base is None or base.trust_anchors is None) and sdk <= USER_CA_DEFAULT_UP_TO:
        yield _default_user_anchors(NSC, "base", span, (), variant)


@dataclass
class _PinGroup:
    """A pin-set with every host it guards: its own domain-config and nested ones that inherit it."""

    pin_set: NscPinSet
    hosts: list[str] = field(default_factory=list)
    include_subdomains: bool = False
    trustkit: NscTrustKitConfig | None = None


def _domain_facts(scopes: tuple[NscScope, ...], variant: str | None, applied: bool = True) -> Iterator[object]:
    groups: dict[tuple[int, int], _PinGroup] = {}
    stack: list[tuple[NscScope, _Effective]] = [(scope, _Effective()) for scope in reversed(scopes)]
    while stack:
        scope, inherited = stack.pop()
        hosts = scope.hosts
        pin_set = scope.pin_set or inherited.pin_set
        trustkit = scope.trustkit or inherited.trustkit
        if applied and scope.cleartext is True and scope.cleartext_span is not None:
            yield CleartextPolicy(
                NSC, PLATFORM, "domain", True, scope.cleartext_span, hosts=hosts,
                setting='cleartextTrafficPermitted="true"',
                local_only=bool(hosts) and all(is_local_host(host) for host in hosts), variant=variant,
            )
        if applied and scope.trust_anchors is not None:
            yield _anchors(scope.trust_anchors, "domain", hosts, variant)
        if pin_set is not None and hosts:
            key = (id(pin_set), id(trustkit))
            group = groups.setdefault(key, _PinGroup(pin_set, trustkit=trustkit))
            group.hosts.extend(host for host in hosts if host not in group.hosts)
            group.include_subdomains |= any(domain.include_subdomains for domain in scope.domains)
        effective = _Effective(pin_set, trustkit)
        stack.extend((child, effective) for child in reversed(scope.children))
    for group in groups.values():
        hosts = tuple(group.hosts)
        pins = group.pin_set
        yield PinSet(
            NSC, PLATFORM, hosts, pins.pins, pins.span, include_subdomains=group.include_subdomains,
            expiration=pins.expiration, expiration_span=pins.expiration_span, variant=variant,
            label="pin-set",
        )
        trustkit = group.trustkit
        if trustkit is not None and not trustkit.disable_default_report_uri:
            yield Note(trustkit.span, "TrustKit-Android also sends pin validation failures for "
                                      f"{', '.join(hosts)} to its default report server unless "
                                      'disableDefaultReportUri="true"')
        if trustkit is not None and trustkit.enforce_pinning is not True:
            state = "false" if trustkit.enforce_pinning is False else "not set, so false"
            yield PinSet(
                TRUSTKIT, PLATFORM, hosts, pins.pins, pins.span, include_subdomains=group.include_subdomains,
                enforced=False, enforcement_span=trustkit.enforce_span or trustkit.span, variant=variant,
                label=f"TrustKit-Android pin-set (enforcePinning is {state})",
            )


def _dedupe_defaults(facts: list[object]) -> list[object]:
    """One platform-default fact per place: a release-build one hides a variant one at the same span."""
    chosen: dict[tuple[type, str, int, int], object] = {}
    others: list[object] = []
    for fact in facts:
        if isinstance(fact, (CleartextPolicy, TrustAnchors)) and fact.by_default:
            key = (type(fact), fact.span.path, fact.span.line, fact.span.col)
            current = chosen.get(key)
            if current is None or (getattr(current, "variant", None) is not None and fact.variant is None):
                chosen[key] = fact
            continue
        others.append(fact)
    return others + list(chosen.values())
