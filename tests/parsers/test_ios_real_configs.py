"""Config shapes seen in public iOS apps: Capacitor's plugin config.xml, licence headers before the XML
declaration, NSPinnedDomains written where ATS never reads it, and top-level-domain exception keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pinlint.model.facts import CleartextPolicy, ConfigProblem, Note, ParseError
from pinlint.parsers import SourceFile
from pinlint.parsers.config import ats, cordova

CAPACITOR_COPY = """<?xml version='1.0' encoding='utf-8'?>
<widget version="1.0.0" xmlns="http://www.w3.org/ns/widgets" xmlns:cdv="http://cordova.apache.org/ns/1.0">
  <access origin="*" />
  <feature name="Camera"><param name="ios-package" value="CDVCamera"/></feature>
</widget>
"""

CORDOVA_PROJECT = """<!--
  Licensed under the Apache License, Version 2.0.
-->
<?xml version='1.0' encoding='utf-8'?>
<widget id="org.example.clinic" version="2.1.0" xmlns="http://www.w3.org/ns/widgets">
    <name>Clinic</name>
    <access origin="*" />
</widget>
"""


def cordova_facts(tmp_path: Path, relative: str, text: str, siblings: tuple[str, ...] = ()) -> list[object]:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    for name in siblings:
        (path.parent / name).write_text("{}")
    return cordova.parse(SourceFile(path, relative, text.encode()))


def of(facts: list[object], kind: type[Any]) -> list[Any]:
    return [fact for fact in facts if isinstance(fact, kind)]


def test_capacitor_plugin_config_beside_the_info_plist_writes_no_ats(tmp_path: Path) -> None:
    assert cordova_facts(tmp_path, "ios/App/App/config.xml", CAPACITOR_COPY) == []
    assert cordova_facts(tmp_path, "mobile/ios/Shell/config.xml", CAPACITOR_COPY, ("Info.plist",)) == []


def test_android_resource_copy_never_reaches_ios(tmp_path: Path) -> None:
    text = CORDOVA_PROJECT.split("-->\n", 1)[1]
    assert cordova_facts(tmp_path, "android/app/src/main/res/xml/config.xml", text) == []


def test_widget_without_id_elsewhere_is_still_read(tmp_path: Path) -> None:
    (policy,) = of(cordova_facts(tmp_path, "config.xml", CAPACITOR_COPY), CleartextPolicy)
    assert policy.scope == "app" and policy.span.line == 3


def test_declaration_after_a_licence_comment_is_read_with_its_lines(tmp_path: Path) -> None:
    facts = cordova_facts(tmp_path, "config.xml", CORDOVA_PROJECT)
    assert of(facts, ParseError) == []
    (policy,) = of(facts, CleartextPolicy)
    assert policy.span.line == 7


def test_misplaced_declaration_blanking_keeps_other_files_unchanged() -> None:
    plain = b"<?xml version='1.0'?>\n<widget/>"
    assert cordova.without_misplaced_declaration(plain) is plain
    body = b"<widget/>\n<?xml version='1.0'?>"
    assert cordova.without_misplaced_declaration(body) is body
    moved = cordova.without_misplaced_declaration(b"<!-- x -->\r\n<?xml version='1.0'?>\n<widget/>")
    assert moved.count(b"\n") == 2 and b"<?xml" not in moved


def interpret(root: dict[str, Any]) -> list[object]:
    return ats.interpret(root, ats.Locator("Info.plist"))


PINS = {"NSPinnedCAIdentities": [{"SPKI-SHA256-BASE64": "r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E="}]}


def test_pinned_domains_inside_an_exception_entry_are_a_config_problem() -> None:
    facts = interpret({"NSAppTransportSecurity": {"NSExceptionDomains": {
        "api.example.org": {"NSIncludesSubdomains": True, "NSPinnedDomains": {"api.example.org": PINS}}}}})
    (problem,) = of(facts, ConfigProblem)
    assert "never read" in problem.reason and "never applied" in (problem.consequence or "")
    assert of(facts, Note) == []


def test_pinned_domains_outside_ats_are_a_config_problem_other_keys_a_note() -> None:
    facts = interpret({"NSPinnedDomains": {"api.example.org": PINS}, "NSAllowsArbitraryLoads": True})
    assert len(of(facts, ConfigProblem)) == 1
    assert len(of(facts, Note)) == 1
    assert of(facts, CleartextPolicy) == []


def test_top_level_domain_exception_with_subdomains_is_not_local() -> None:
    def local_only(host: str, subdomains: bool) -> bool:
        entry = {"NSExceptionAllowsInsecureHTTPLoads": True, "NSIncludesSubdomains": subdomains}
        (policy,) = of(interpret({"NSAppTransportSecurity": {"NSExceptionDomains": {host: entry}}}),
                       CleartextPolicy)
        return policy.local_only

    assert local_only("com", True) is False
    assert local_only("intranet", False) is True
    assert local_only("localhost", True) is True
    assert local_only("onion", True) is True
