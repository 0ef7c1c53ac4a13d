"""Which hosts live-check asks and where it dials: ``--host``, ``--connect-to`` and pinned patterns."""

from __future__ import annotations

import pytest

from pinlint.live.targets import Target, TargetError, build_targets, parse_connect_to, parse_host


def test_connect_to_with_and_without_ports() -> None:
    redirects = [parse_connect_to("api.example.com:8443=127.0.0.1:9000"),
                 parse_connect_to("API.example.com=[::1]")]
    targets = build_targets([("api.example.com", 8443), ("api.example.com", None), ("other.example", None)],
                            443, redirects)
    assert targets == [Target("api.example.com", 8443, "127.0.0.1", 9000),
                       Target("api.example.com", 443, "::1", 443),
                       Target("other.example", 443, "other.example", 443)]
    assert [target.label for target in targets] == ["api.example.com:8443", "api.example.com", "other.example"]


def test_hosts_are_normalised_and_deduplicated() -> None:
    names = [parse_host("API.Example.com."), parse_host("api.example.com")]
    assert build_targets(names, 443, []) == [Target("api.example.com", 443, "api.example.com", 443)]


@pytest.mark.parametrize("value", ["no-equals", "a=b=c", "=127.0.0.1", "a.example=127.0.0.1:0",
                                   "a.example=127.0.0.1:http", "a.example=[::1"])
def test_bad_connect_to_values_are_usage_errors(value: str) -> None:
    with pytest.raises(TargetError):
        parse_connect_to(value)


def test_a_pattern_is_not_a_host() -> None:
    with pytest.raises(TargetError):
        parse_host("*.example.com")
