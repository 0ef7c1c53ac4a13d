"""Python front end (libcst): TLS switches, docstrings, URL literals, parse failures."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from pinlint.model.facts import TlsFloor
from tests.trust_verdicts import verdicts
from tests.xplat_helpers import HOSTNAME_OFF, TRUST_ALL, endpoints, errors, handlers, parse


def py(code: str) -> list[object]:
    return parse("lang_python", "app.py", textwrap.dedent(code))


@pytest.mark.parametrize(
    "line, kind",
    [
        ("requests.get(url, verify=False)", TRUST_ALL),
        ("requests.Session().get(url, verify=False)", TRUST_ALL),
        ("session.request('GET', url, verify=False)", TRUST_ALL),
        ("httpx.Client(verify=False)", TRUST_ALL),
        ("httpx.AsyncClient(base_url=b, verify=False)", TRUST_ALL),
        ("client.verify = False", TRUST_ALL),
        ("aiohttp.TCPConnector(ssl=False)", TRUST_ALL),
        ("session.get(url, ssl=False)", TRUST_ALL),
        ("session.get(url, verify_ssl=False)", TRUST_ALL),
        ("ctx = ssl._create_unverified_context()", TRUST_ALL),
        ("ssl._create_default_https_context = ssl._create_unverified_context", TRUST_ALL),
        ("ctx.verify_mode = ssl.CERT_NONE", TRUST_ALL),
        ("urllib3.PoolManager(cert_reqs='CERT_NONE')", TRUST_ALL),
        ("ssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)", TRUST_ALL),
        ("ctx.check_hostname = False", HOSTNAME_OFF),
        ("urllib3.HTTPSConnectionPool(host, assert_hostname=False)", HOSTNAME_OFF),
    ],
)
def test_tls_switches(line: str, kind: str) -> None:
    assert handlers(py(line + "\n")) == [(1, kind)]


@pytest.mark.parametrize(
    "line",
    [
        "requests.get(url, verify=True)",
        "requests.get(url, verify='ca.pem')",
        "requests.get(url, verify=certifi.where())",
        "ctx = ssl.create_default_context()",
        "urllib3.disable_warnings()",
        "jwt.decode(token, verify=False)",
        "redis.Redis(host, ssl=False)",
        "ctx.check_hostname = True",
        "# requests.get(url, verify=False)",
        "s = 'requests.get(url, verify=False)'",
        "from ssl import CERT_NONE",
    ],
)
def test_safe_lines(line: str) -> None:
    assert handlers(py(line + "\n")) == []


def test_docstrings_and_bare_strings_are_documentation() -> None:
    facts = py('''
        """Module docs: requests.get(url, verify=False) against http://api.medsync.io."""

        def f():
            """Calls http://api.medsync.io/v1 with verify=False."""
            "http://another.medsync.io"
            return "http://real.medsync.io/v1"
        ''')
    assert handlers(facts) == [] and endpoints(facts) == [(7, "http://real.medsync.io/v1")]


def test_f_strings_with_an_interpolated_host_name_the_expression() -> None:
    facts = py(
        'a = f"http://{host}/x"\nb = f"http://api.medsync.io/{path}"\nc = b"http://bytes.medsync.io"\n'
        'd = "http://" + host\ne = url.startswith(f"http://{host}")\n'
    )
    assert endpoints(facts) == [(1, "http://{host}/x"), (2, "http://api.medsync.io/"), (4, "http://{host}")]


def test_debug_blocks_and_weak_protocols() -> None:
    facts = py("""
        if settings.DEBUG:
            requests.get(url, verify=False)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_1
        """)
    [handler] = verdicts(facts)
    assert handler.variant == "debug"
    assert [(f.span.line, f.version_text) for f in facts if isinstance(f, TlsFloor)] == [
        (4, "TLSv1.0"),
        (5, "TLSv1.1"),
    ]


def test_unparsable_file_is_a_parse_error_with_the_reason() -> None:
    facts = py("def broken(:\n    requests.get(url, verify=False)\n")
    [error] = errors(facts)
    assert "syntax" in error.reason.lower() and "Traceback" not in error.reason
    assert handlers(facts) == []


def test_python2_print_statement_is_a_parse_error() -> None:
    facts = py("import ssl\nprint 'hello'\n")
    assert len(errors(facts)) == 1


@pytest.mark.parametrize(
    "snippet",
    [
        "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
        "x = " + "[" * 3000 + "]" * 3000 + "\n",
        "x = " + "-" * 3000 + "1\n",
        "x = a" + ".b" * 3000 + "\n",
    ],
)
def test_deep_nesting_is_a_parse_error_not_a_crash(snippet: str) -> None:
    # run in a child process: a native parser crash must fail this test, not kill the test run
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pinlint.parsers import SourceFile\n"
        "from pinlint.parsers.code.lang_python import parse\n"
        "data = sys.stdin.buffer.read()\n"
        "facts = parse(SourceFile(Path('deep.py'), 'deep.py', data))\n"
        "print(type(facts[0]).__name__, len(facts))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=("import ssl\n" + snippet).encode(),
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()[-500:]
    assert result.stdout.decode().strip() == "ParseError 1"


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    facts = py("import ssl\nBANNER = '" + "(" * 300 + "'\nrequests.get(u, verify=False)\n")
    assert errors(facts) == [] and handlers(facts) == [(3, TRUST_ALL)]


@pytest.mark.parametrize(
    "body, verdict",
    [
        ("return True", "TRU301"),
        ("return ok", None),
        ("return bool(ok) and errno == 0", None),
        ("return errno == 0", None),
        ("if errno != 0:\n        return False\n    return True", None),
        ("if depth > 0:\n        return True\n    return x509.digest('sha256') == PIN", None),
        ("if depth == 0:\n        return True\n    return ok", "TRU301"),
        ("try:\n        check_pin(x509)\n    except ValueError:\n        return False\n    return True", None),
        ("for pin in PINS:\n        if x509.digest('sha256') == pin:\n        "
         "    return True\n    return False", None),
        ("if x509.digest('sha256') == PIN:\n        return True\n    return True", "TRU304"),
        ("print(ok)", None),
        ("if ok:\n        return True\n    raise ValueError('rejected')", None),
    ],
)
def test_pyopenssl_verify_callback_paths(body: str, verdict: str | None) -> None:
    """OpenSSL's verdict (``ok``, ``errno``) is read per scenario and the callback judged at depth 0."""
    code = f"def verify(conn, x509, errno, depth, ok):\n    {body}\n\n\nctx.set_verify(SSL.VERIFY_PEER, verify)\n"
    line = code.count("\n")
    assert handlers(parse("lang_python", "tls.py", code)) == ([(line, verdict)] if verdict else [])
