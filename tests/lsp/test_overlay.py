"""The scan reads in-memory contents for the paths of its overlay (an editor's unsaved buffers), for the
scanned file and for the files that give it context, and the files on disk for the rest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pinlint.config.policy import Policy
from pinlint.pipeline import ScanInputs, overlay_key, run

CONFIG = "app/src/main/res/xml/network_security_config.xml"
CLEARTEXT = """<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <base-config cleartextTrafficPermitted="true" />
</network-security-config>
"""
MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example.care">
    <application{reference} android:label="Care" />
</manifest>
"""
REFERENCE = ' android:networkSecurityConfig="@xml/network_security_config"'


def _project(tmp_path: Path, manifest: str) -> tuple[Path, Path]:
    config = tmp_path / CONFIG
    config.parent.mkdir(parents=True)
    config.write_text(CLEARTEXT, encoding="utf-8")
    manifest_path = tmp_path / "app/src/main/AndroidManifest.xml"
    manifest_path.write_text(manifest, encoding="utf-8")
    return config, manifest_path


def _rules(config: Path, root: Path, overlays: dict[Path, bytes]) -> list[str]:
    result = run(ScanInputs(paths=[config], today=date(2026, 1, 15), policy=Policy(), relative_to=root,
                            overlays={overlay_key(path): data for path, data in overlays.items()}))
    return [finding.rule_id for finding in result.findings]


def test_the_scanned_file_is_read_from_the_overlay(tmp_path: Path) -> None:
    config, _manifest = _project(tmp_path, MANIFEST.format(reference=REFERENCE))
    assert _rules(config, tmp_path, {}) == ["CLR201"]
    fixed = CLEARTEXT.replace("true", "false").encode()
    assert _rules(config, tmp_path, {config: fixed}) == []
    assert config.read_text(encoding="utf-8") == CLEARTEXT


def test_a_context_file_is_read_from_the_overlay(tmp_path: Path) -> None:
    config, manifest = _project(tmp_path, MANIFEST.format(reference=""))
    assert _rules(config, tmp_path, {}) == []  # no manifest applies the config
    referencing = MANIFEST.format(reference=REFERENCE).encode()
    assert _rules(config, tmp_path, {manifest: referencing}) == ["CLR201"]


def test_a_broken_buffer_is_a_parse_error(tmp_path: Path) -> None:
    config, _manifest = _project(tmp_path, MANIFEST.format(reference=REFERENCE))
    assert _rules(config, tmp_path, {config: CLEARTEXT[:70].encode()}) == ["CFG901"]


def test_a_named_files_kind_is_judged_from_its_buffer(tmp_path: Path) -> None:
    """A config saved empty (a new file) and typed in the editor still gets its manifest as context: here a
    manifest that does not apply it, so its cleartext setting is not reported."""
    _project(tmp_path, MANIFEST.format(reference=""))
    typed = tmp_path / "app/src/main/res/xml/net_rules.xml"
    typed.write_text("", encoding="utf-8")
    assert _rules(typed, tmp_path, {typed: CLEARTEXT.encode()}) == []
    typed.write_text(CLEARTEXT, encoding="utf-8")
    assert _rules(typed, tmp_path, {}) == []  # the same verdict as for the saved file


def test_warm_up_loads_every_grammar_from_memory() -> None:
    from pinlint.lsp.analysis import warm_up
    from pinlint.parsers.code import treesitter

    warm_up()
    assert {"kotlin", "java", "swift", "objc", "dart", "csharp", "javascript", "typescript"} <= set(
        treesitter._parsers)
