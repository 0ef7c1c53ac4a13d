"""JavaScript / TypeScript front end: TLS switches, React Native pinning, URL literals, minified files."""

from __future__ import annotations

import pytest

from pinlint.model.facts import NotAnalysed
from tests.trust_verdicts import verdicts
from tests.xplat_helpers import TRUST_ALL, endpoints, handlers, parse, pin_sets

VALID_A = "A3v+PN0VLB6Ca2H1QL8LLKq28k0YHSjuFAxmGjDFEYE="
VALID_B = "dGiyahaOkeH1NVyRC0zrEaSe2pqc76osSaU6cL5A/YA="


@pytest.mark.parametrize("name", ["a.js", "a.ts", "a.tsx", "a.jsx"])
@pytest.mark.parametrize(
    "line",
    [
        "const agent = new https.Agent({ rejectUnauthorized: false });",
        "tls.connect({ host, port, 'rejectUnauthorized': false });",
        "request({ url, strictSSL: false });",
        "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
        "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0;",
        'process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";',
        "options.rejectUnauthorized = false;",
        "spawn('node', [], { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' } });",
        "fetch(url, { method: 'GET', disableAllSecurity: true });",
    ],
)
def test_tls_switches(name: str, line: str) -> None:
    assert handlers(parse("lang_javascript", name, line + "\n")) == [(1, TRUST_ALL)]


@pytest.mark.parametrize(
    "line",
    [
        "const agent = new https.Agent({ rejectUnauthorized: true });",
        "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';",
        "// new https.Agent({ rejectUnauthorized: false })",
        "/* process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0' */",
        "const s = 'rejectUnauthorized: false';",
        "const t = `strictSSL: false`;",
        "const o = { rejectUnauthorized: process.env.NODE_ENV === 'production' };",
    ],
)
def test_safe_lines(line: str) -> None:
    assert handlers(parse("lang_javascript", "a.js", line + "\n")) == []


def test_debug_guard_marks_variant() -> None:
    facts = parse("lang_javascript", "a.js", "if (__DEV__) {\n  opts.rejectUnauthorized = false;\n}\n")
    [handler] = verdicts(facts)
    assert handler.variant == "debug"


def test_public_key_pinning_per_domain() -> None:
    facts = parse(
        "lang_javascript",
        "pin.ts",
        (
            f"const A = '{VALID_A}';\n"
            "initializeSslPinning({\n"
            f"  'api.medsync.io': {{ includeSubdomains: true, publicKeyHashes: [A, '{VALID_B}'] }},\n"
            "  auth: { publicKeyHashes: [A] },\n"
            "  'cdn.medsync.io': { publicKeyHashes: [Config.PIN_1, Config.PIN_2] },\n"
            "});\n"
        ),
    )
    api, auth, cdn = pin_sets(facts)
    assert api.hosts == ("api.medsync.io",) and api.include_subdomains and len(api.valid_distinct_pins) == 2
    assert api.origin == "rn-public-key-pinning"
    assert auth.hosts == ("auth",) and len(auth.valid_distinct_pins) == 1
    assert all(pin.unresolved for pin in cdn.pins)


def test_ssl_pinning_certificates_and_public_keys() -> None:
    facts = parse(
        "lang_javascript",
        "f.js",
        (
            "fetch('https://api.medsync.io/x', { sslPinning: { certs: ['leaf'] } });\n"
            f"fetch(url, {{ pkPinning: true, sslPinning: {{ certs: ['sha256//{VALID_B[1:]}', 'sha256/{VALID_A}'] }} }});\n"  # noqa: E501
        ),
    )
    certificate, keys = pin_sets(facts)
    assert certificate.kind == "certificate" and certificate.certificates == ("leaf",)
    assert certificate.hosts == ("api.medsync.io",)
    assert [pin.value for pin in keys.pins] == ["/" + VALID_B[1:], VALID_A]


def test_url_literals() -> None:
    facts = parse(
        "lang_javascript",
        "c.jsx",
        (
            "import x from 'http://cdn.medsync.io/x.js';\n"
            "const a = 'http://api.medsync.io/v1';\n"
            "const b = `http://${host}/v1`;\n"
            "const c = `http://api.medsync.io/users/${id}`;\n"
            "const d = <Text>http://prose.medsync.io</Text>;\n"
            "const e = new WebSocket('ws://feed.medsync.io');\n"
            "const f = 'http://www.w3.org/2000/svg';\n"
        ),
    )
    assert endpoints(facts) == [
        (2, "http://api.medsync.io/v1"),
        (3, "http://{host}/v1"),  # the host is an expression: cleartext to whatever it names
        (4, "http://api.medsync.io/users/"),
        (6, "ws://feed.medsync.io"),
    ]


def test_minified_files_are_listed_by_precommit_and_read_by_audit() -> None:
    line = "var a" + "=1,b" * 200 + ";var o={rejectUnauthorized:false};"
    for name, code in (("app.js", (line + "\n") * 40), ("app.min.js", line + "\n")):
        assert [type(fact) for fact in parse("lang_javascript", name, code)] == [NotAnalysed]
        assert handlers(parse("lang_javascript", name, code, thorough=True))[0] == (1, TRUST_ALL)
    assert handlers(parse("lang_javascript", "app.js", line + "\n")) == [(1, TRUST_ALL)]


def test_bundled_files_are_listed_by_precommit_and_read_by_audit() -> None:
    bundle = ("/******/ (() => { // webpackBootstrap\n/******/ var __webpack_modules__ = ({});\n"
              "function __nccwpck_require__(id) { return __webpack_modules__[id]; }\n"
              "const agent = new https.Agent({ rejectUnauthorized: false });\n")
    assert [type(fact) for fact in parse("lang_javascript", "index.js", bundle)] == [NotAnalysed]
    assert handlers(parse("lang_javascript", "index.js", bundle, thorough=True)) == [(4, TRUST_ALL)]


def test_partial_parse_errors_keep_the_sound_parts() -> None:
    facts = parse(
        "lang_javascript",
        "a.js",
        (
            "const good = new https.Agent({ rejectUnauthorized: false });\n"
            "function broken( {\n"
            "  const bad = { rejectUnauthorized: false \n"
            "}}}\n"
        ),
    )
    assert handlers(facts) == [(1, TRUST_ALL)]


@pytest.mark.parametrize(
    "option, flagged",
    [
        ("checkServerIdentity: () => undefined", True),
        ("checkServerIdentity: (host, cert) => {}", True),
        ("checkServerIdentity: function (host, cert) { console.log(host); return; }", True),
        ("checkServerIdentity: skip", True),
        ("checkServerIdentity: (host, cert) => tls.checkServerIdentity(host, cert)", False),
        (
            "checkServerIdentity: (host, cert) => { const err = tls.checkServerIdentity(host, cert); "
            "if (err) { return err; } }",
            False,
        ),
        ("checkServerIdentity: (host, cert) => { throw new Error('no'); }", False),
        ("checkServerIdentity: verifyPins", False),
        # paths: an answer read from a variable, a pin test negated, a loop, a try block that throws on failure
        ("checkServerIdentity: (host, cert) => { let err; if (!PINS.includes(cert.fingerprint256)) "
         "err = new Error('pin'); return err; }", False),
        ("checkServerIdentity: (host, cert) => { for (const pin of PINS) { if (cert.fingerprint256 === pin) "
         "return; } return new Error('pin'); }", False),
        ("checkServerIdentity: (host, cert) => { try { assertPinned(cert); } catch (e) { return e; } }", False),
        ("checkServerIdentity: (host, cert) => { const check = () => new Error('x'); check(); }", True),
        ("checkServerIdentity: (host, cert) => host === 'internal' ? new Error('x') : undefined", True),
    ],
)
def test_check_server_identity_that_never_returns_an_error_is_hostname_off(option: str, flagged: bool) -> None:
    from tests.trust_verdicts import HOSTNAME_OFF

    code = f"const skip = () => undefined;\nconst s = tls.connect({{ host, port: 443,\n  {option} }});\n"
    assert handlers(parse("lang_javascript", "a.ts", code)) == ([(3, HOSTNAME_OFF)] if flagged else [])


def test_check_server_identity_that_answers_a_pin_mismatch_with_no_error_fails_open() -> None:
    from tests.trust_verdicts import PIN_FAIL_OPEN

    code = ("tls.connect({ host, port: 443,\n  checkServerIdentity: (host, cert) => { let err;\n"
            "    if (PINS.includes(cert.fingerprint256)) err = new Error('inverted'); return err; } });\n")
    assert handlers(parse("lang_javascript", "a.js", code)) == [(2, PIN_FAIL_OPEN)]


@pytest.mark.parametrize(
    "option, version",
    [
        ("minVersion: 'TLSv1'", "TLSv1.0"),
        ("minVersion: 'TLSv1.1'", "TLSv1.1"),
        ("maxVersion: 'TLSv1.1'", "TLSv1.1"),
        ("secureProtocol: 'TLSv1_method'", "TLSv1.0"),
        ("secureProtocol: 'SSLv3_method'", "SSLv3"),
        ("minVersion: 'TLSv1.2'", "TLSv1.2"),
        ("secureProtocol: 'TLSv1_2_method'", "TLSv1.2"),
        ("secureProtocol: 'TLS_method'", None),
    ],
)
def test_node_tls_versions_are_floors(option: str, version: str | None) -> None:
    """Every version the options name is reported (CLR204 decides which are too old); ``TLS_method``
    names none."""
    from pinlint.model.facts import TlsFloor

    facts = parse("lang_javascript", "a.js", f"const agent = new https.Agent({{\n  {option},\n}});\n")
    floors = [(fact.span.line, fact.version_text) for fact in facts if isinstance(fact, TlsFloor)]
    assert floors == ([(2, version)] if version else [])
