"""``pinlint pins`` on keys that are not certificates, and on password-protected files.

Keys, requests and PKCS#12 files are made with ``cryptography`` here; every expected pin is computed from
the key object independently of pinlint (SHA-256 over its DER SubjectPublicKeyInfo). Private material must
never appear in the output.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from pinlint.cli.app import main
from tests.certgen import make_chain, pem

TODAY = ("--today", "2026-01-15")


def expected_pin(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def pins(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["pins", *TODAY, *args], catch_exceptions=False, env=env)


def private_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, password: bytes | None = None,
                fmt: serialization.PrivateFormat = serialization.PrivateFormat.PKCS8) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption)


def assert_no_private_material(output: str, key_bytes: bytes) -> None:
    body = [line for line in key_bytes.decode().splitlines() if not line.startswith("-----")]
    assert body
    assert not any(line in output for line in body)
    assert "BEGIN" not in output


@pytest.fixture
def keys() -> tuple[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey]:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048), ec.generate_private_key(ec.SECP256R1())


Keys = tuple[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey]


def test_public_keys_pem_der_and_pkcs1(tmp_path: Path, keys: Keys) -> None:
    rsa_key, ec_key = keys
    spki_pem = tmp_path / "backup.pub"
    spki_pem.write_bytes(ec_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))
    spki_der = tmp_path / "backup-pub.der"
    spki_der.write_bytes(rsa_key.public_key().public_bytes(serialization.Encoding.DER,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo))
    pkcs1 = tmp_path / "rsa.pub"
    pkcs1.write_bytes(rsa_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1))
    result = pins(str(spki_pem), str(spki_der), str(pkcs1), "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["certificates"]
    assert [(e["kind"], e["spki_sha256"]) for e in entries] == [
        ("public key", expected_pin(ec_key)), ("public key", expected_pin(rsa_key)),
        ("public key", expected_pin(rsa_key))]
    assert entries[0]["subject"] == "EC secp256r1 key"


def test_certificate_request(tmp_path: Path, keys: tuple[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey]) -> None:
    _rsa_key, ec_key = keys
    request = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "api.example.com")]))
               .sign(ec_key, hashes.SHA256()))
    (tmp_path / "next.csr").write_bytes(request.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "next.csr.der").write_bytes(request.public_bytes(serialization.Encoding.DER))
    result = pins(str(tmp_path / "next.csr"), str(tmp_path / "next.csr.der"))
    assert result.exit_code == 0, result.output
    assert result.stdout.count(f"pin:       {expected_pin(ec_key)}") == 2
    assert "certificate request: CN=api.example.com" in result.stdout


@pytest.mark.parametrize("fmt", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL])
def test_private_key_gives_only_the_public_half(tmp_path: Path, fmt: serialization.PrivateFormat,
                                                keys: tuple[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey]) -> None:
    rsa_key, _ec_key = keys
    data = private_pem(rsa_key, fmt=fmt)
    (tmp_path / "backup.key").write_bytes(data)
    result = pins(str(tmp_path / "backup.key"))
    assert result.exit_code == 0, result.output
    assert f"pin:       {expected_pin(rsa_key)}" in result.stdout
    assert "only the pin of its public half is shown" in result.stdout
    assert_no_private_material(result.output, data)


def test_encrypted_private_key_with_password_file_and_env(
        tmp_path: Path, keys: tuple[rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey]) -> None:
    _rsa_key, ec_key = keys
    data = private_pem(ec_key, b"s3cret pass")
    (tmp_path / "backup.key").write_bytes(data)
    (tmp_path / "password.txt").write_text("s3cret pass\n")
    locked = pins(str(tmp_path / "backup.key"))
    assert locked.exit_code == 2
    assert "encrypted; give its password with --password-file or --password-env" in locked.stderr
    by_file = pins(str(tmp_path / "backup.key"), "--password-file", str(tmp_path / "password.txt"))
    by_env = pins(str(tmp_path / "backup.key"), "--password-env", "BACKUP_KEY_PASSWORD",
                  env={"BACKUP_KEY_PASSWORD": "s3cret pass"})
    for result in (by_file, by_env):
        assert result.exit_code == 0, result.output
        assert f"pin:       {expected_pin(ec_key)}" in result.stdout
        assert "s3cret" not in result.output
        assert_no_private_material(result.output, data)
    wrong = pins(str(tmp_path / "backup.key"), "--password-env", "P", env={"P": "wrong"})
    assert wrong.exit_code == 2 and "does not open with that password" in wrong.stderr
    assert pins(str(tmp_path / "backup.key"), "--password-env", "UNSET_VARIABLE_X").exit_code == 2


def test_pkcs12_with_password(tmp_path: Path) -> None:
    chain = make_chain()
    blob = pkcs12.serialize_key_and_certificates(
        b"client", chain.leaf_key, chain.leaf, [chain.intermediate],
        serialization.BestAvailableEncryption(b"p12-password"))
    (tmp_path / "bundle.p12").write_bytes(blob)
    (tmp_path / "pw").write_text("p12-password")
    locked = pins(str(tmp_path / "bundle.p12"))
    assert locked.exit_code == 2 and "--password-file or --password-env" in locked.stderr
    result = pins(str(tmp_path / "bundle.p12"), "--password-file", str(tmp_path / "pw"), "--format", "json")
    assert result.exit_code == 0, result.output
    found = {entry["spki_sha256"] for entry in json.loads(result.stdout)["certificates"]}
    assert found == {expected_pin(chain.leaf_key), expected_pin(chain.intermediate_key)}
    assert "p12-password" not in result.output


def test_android_snippet_is_valid_as_pasted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chain = make_chain()
    backup = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "chain.pem").write_bytes(pem(chain.intermediate))
    (tmp_path / "backup.pub").write_bytes(backup.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    result = pins(str(tmp_path / "chain.pem"), str(tmp_path / "backup.pub"), "--format", "json")
    snippet = json.loads(result.stdout)["snippets"]["android-network-security-config"]
    assert 'expiration="2027-01-15"' in snippet and "2027-01-15 is a placeholder" in snippet
    assert expected_pin(backup) in snippet and expected_pin(chain.intermediate_key) in snippet
    ios = json.loads(result.stdout)["snippets"]["ios-ns-pinned-domains"]
    assert expected_pin(backup) in ios  # the backup key joins the CA list
    project = tmp_path / "app" / "src" / "main" / "res" / "xml"
    project.mkdir(parents=True)
    (project / "network_security_config.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<network-security-config>\n{snippet}\n</network-security-config>\n')
    monkeypatch.chdir(tmp_path)
    check = CliRunner().invoke(main, ["check", "--no-config", *TODAY, "--format", "json", "app"])
    document = json.loads(check.stdout)
    assert document["findings"] == [], document["findings"]
    assert check.exit_code == 0


def test_readme_backup_key_flow_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's rotation commands: openssl makes the backup key, pinlint pins its public half and
    the certificate request made from it, with the same pin, and never prints the private key."""
    import re
    import shlex
    import shutil
    import subprocess

    from tests.conftest import ROOT

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Key rotation"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block
    (tmp_path / "current-chain.pem").write_bytes(pem(make_chain().intermediate))
    monkeypatch.chdir(tmp_path)
    outputs: list[str] = []
    for line in block.group(1).splitlines():
        command = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not command:
            continue
        words = shlex.split(command)
        if words[0] == "openssl":
            subprocess.run(words, cwd=tmp_path, check=True, capture_output=True, timeout=60)
        else:
            assert words[0] == "pinlint", command
            result = CliRunner().invoke(main, words[1:], catch_exceptions=False)
            outputs.append(result.output)
    assert len(outputs) == 2
    public = serialization.load_pem_public_key((tmp_path / "backup-2027.pub").read_bytes())
    spki = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    pin = base64.b64encode(hashlib.sha256(spki).digest()).decode()
    assert all(pin in output for output in outputs)
    assert "certificate request: CN=api.example.com" in outputs[1]
    assert_no_private_material("\n".join(outputs), (tmp_path / "backup-2027.key").read_bytes())
