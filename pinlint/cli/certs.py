"""Certificate commands: ``pinlint pins``, ``pinlint chain-check`` and ``pinlint inventory``.

``pins`` prints what each certificate in PEM, DER, PKCS#7 or unencrypted PKCS#12 files is and its SPKI
pin, with snippets to paste. ``chain-check`` rehearses a certificate rotation: would each platform's
pinning in a project accept a chain for a host? Exit 0 when every platform accepts, 1 when any would
reject, 2 on usage errors. ``inventory`` lists every pinned host for an audit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from pinlint.cli.dates import parse_today
from pinlint.cli.options import policy_options

if TYPE_CHECKING:
    from pinlint.certs.keyfiles import Pinnable
    from pinlint.certs.x509info import CertInfo
    from pinlint.pipeline import ScanResult

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2




def _fail(message: str) -> NoReturn:
    click.echo(f"pinlint: {message}", err=True)
    sys.exit(EXIT_USAGE)


def load_certificate_file(path: Path) -> list[CertInfo]:
    """The certificates in a file, or a one-line error and exit 2."""
    from pinlint.certs.x509info import read_certificates, read_pkcs12_unencrypted

    try:
        data = path.read_bytes()
    except OSError as error:
        _fail(f"cannot read {path}: {error.strerror or error}")
    if path.suffix.lower() in (".p12", ".pfx"):
        opened, certificates, _key = read_pkcs12_unencrypted(data)
        if not opened:
            _fail(f"{path}: PKCS#12 file is password-protected or damaged; export the certificates as PEM")
        if certificates:
            return certificates
    result = read_certificates(data)
    if result.certificates:
        return result.certificates
    if result.problems or result.unsupported:
        line, reason = (result.problems or result.unsupported)[0]
        _fail(f"{path}:{line}: {reason}")
    _fail(f"{path}: no certificate found (expected PEM, DER, PKCS#7 or PKCS#12)")


def _today_option(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option("--today", callback=parse_today, metavar="YYYY-MM-DD", help=help_text)


def _format_option(*choices: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option("--format", "output_format", type=click.Choice(list(choices)), default=choices[0],
                        show_default=True, help="Output format.")


def _password(password_file: Path | None, password_env: str | None) -> bytes | None:
    """The PKCS#12 or private-key password from a file (first line, without its line end) or a variable."""
    import os

    if password_file is not None and password_env is not None:
        raise click.UsageError("--password-file and --password-env cannot be used together")
    if password_file is not None:
        try:
            text = password_file.read_bytes()
        except OSError as error:
            _fail(f"cannot read {password_file}: {error.strerror or error}")
        return text.splitlines()[0] if text.strip() else b""
    if password_env is not None:
        value = os.environ.get(password_env)
        if value is None:
            _fail(f"environment variable {password_env} is not set")
        return value.encode("utf-8")
    return None


def load_pinnable_file(path: Path, password: bytes | None) -> list[Pinnable]:
    """The certificates and keys of one file, or a one-line error and exit 2."""
    from pinlint.certs.keyfiles import KeyFileError, read_pinnable

    try:
        data = path.read_bytes()
    except OSError as error:
        _fail(f"cannot read {path}: {error.strerror or error}")
    try:
        return read_pinnable(data, pkcs12_file=path.suffix.lower() in (".p12", ".pfx"), password=password)
    except KeyFileError as error:
        _fail(f"{path}: {error}")


def _pinnable_json(path: Path, index: int, info: Pinnable) -> dict[str, object]:
    from pinlint.certs.keyfiles import KeyInfo
    from pinlint.render.chain_check import certificate_json

    if isinstance(info, KeyInfo):
        return {"file": str(path), "index": index, "line": info.line, "kind": info.kind, "subject": info.subject,
                "role": info.role, "spki_sha256": info.spki_sha256}
    return {"kind": "certificate", **certificate_json(str(path), index, info)}


@click.command("pins")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_format_option("text", "json")
@click.option("--host", default="api.example.com", show_default=True, help="Host name used in the snippets.")
@_today_option("Reference date for 'expired' and for the snippets' placeholder expiration (default: today).")
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File whose first line is the password of a PKCS#12 file or an encrypted private key.")
@click.option("--password-env", metavar="VARIABLE", default=None,
              help="Environment variable holding that password.")
def pins(files: tuple[Path, ...], output_format: str, host: str, today: date, password_file: Path | None,
         password_env: str | None) -> None:
    """Print the SPKI SHA-256 pin of every certificate and key in FILES, with snippets to paste.

    Reads certificates (PEM, DER, chains, PKCS#7), PKCS#12 files (with --password-file or --password-env
    when protected), public keys (PEM or DER SubjectPublicKeyInfo, PKCS#1), certificate signing requests
    and private keys. For a private key only the pin of its public half is printed, never the key: pin a
    backup key this way before any certificate for it exists. Snippets follow for an Android <pin-set>,
    NSPinnedDomains, TrustKit and OkHttp.
    """
    from pinlint.certs.keyfiles import KeyInfo
    from pinlint.certs.snippets import BACKUP_NOTE, all_snippets

    password = _password(password_file, password_env)
    loaded = [(path, load_pinnable_file(path, password)) for path in files]
    everything = [info for _path, infos in loaded for info in infos]
    snippets = all_snippets(everything, host, today)
    if output_format == "json":
        click.echo(json.dumps({
            "certificates": [_pinnable_json(path, index, info)
                             for path, infos in loaded for index, info in enumerate(infos, start=1)],
            "snippets": snippets,
        }, indent=2))
        return
    private = False
    for path, infos in loaded:
        for index, info in enumerate(infos, start=1):
            click.echo(f"{path} #{index} (line {info.line})")
            if isinstance(info, KeyInfo):
                private = private or info.kind == "private key"
                click.echo(f"  {info.kind}: {info.subject}")
                click.echo(f"  pin:       {info.spki_sha256}")
                click.echo("")
                continue
            expired = " (EXPIRED)" if info.not_after < today else ""
            ca = "yes" if info.is_ca else "no"
            click.echo(f"  subject:   {info.subject}")
            click.echo(f"  issuer:    {info.issuer}")
            click.echo(f"  CA:        {ca} ({info.role})")
            click.echo(f"  not after: {info.not_after.isoformat()}{expired}")
            click.echo(f"  pin:       {info.spki_sha256}")
            click.echo("")
    if private:
        click.echo("Note: a private key was read; only the pin of its public half is shown. Keep the key out of "
                   "the repository and the app.\n")
    distinct = {info.spki_sha256 for info in everything}
    if len(distinct) < 2:
        click.echo(f"Note: one key only; {BACKUP_NOTE}.\n")
    titles = {
        "android-network-security-config": "Android network security config (res/xml)",
        "ios-ns-pinned-domains": "iOS Info.plist, inside NSAppTransportSecurity",
        "trustkit": "TrustKit (Swift)",
        "okhttp": "OkHttp (Kotlin)",
    }
    for key, text in snippets.items():
        click.echo(f"== {titles[key]}")
        click.echo(text)
        click.echo("")


def _project_scan(paths: tuple[Path, ...], today: date, config_path: Path | None, no_config: bool,
                  max_file_size: int | None, profile: str) -> ScanResult:
    """The pipeline's scan of ``paths`` (the same policy, excludes and profile as ``check``), its paths shown
    relative to the project folder; a one-line error and exit 2 for an unusable policy file."""
    from pinlint.cli.options import InvocationError, project_root, scan_options
    from pinlint.pipeline import run

    root = project_root(list(paths))
    try:
        inputs = scan_options(list(paths), today=today, select=[], ignore=[], fail_on=None, config_path=config_path,
                              no_config=no_config, profile=profile, max_file_size=max_file_size, relative_to=root)
    except InvocationError as error:
        _fail(str(error))
    return run(inputs)


@click.command("chain-check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--host", required=True, help="The host name the chain is served for.")
@click.option("--chain", "chain_file", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The certificate chain the server will present (PEM, leaf first; DER or PKCS#7 too).")
@click.option("--ca-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also judge the chain against the root certificates in FILE (PEM).")
@_today_option("Reference date for certificate and pin-set expiry (default: today).")
@_format_option("text", "json")
@policy_options
def chain_check(paths: tuple[Path, ...], host: str, chain_file: Path, ca_file: Path | None, today: date,
                output_format: str, config_path: Path | None, no_config: bool, max_file_size: int | None,
                profile: str) -> None:
    """Would the pinning in PATHS accept the chain in --chain for --host? The rotation rehearsal.

    Before any pin, each platform checks the leaf's name and every certificate's dates (and, with
    --ca-file, the path to a trusted root): a chain that fails them is rejected everywhere. Exit 0 when
    every platform accepts, 1 when any platform would reject the chain (an outage), 2 on usage errors.
    """
    from pinlint.certs.chaincheck import judge_chain
    from pinlint.render.chain_check import render_json, render_text

    chain = load_certificate_file(chain_file)
    roots = load_certificate_file(ca_file) if ca_file is not None else None
    scanned = _project_scan(paths, today, config_path, no_config, max_file_size, profile)
    judgement = judge_chain(scanned.facts, host, chain, today, roots=roots)
    text = render_json(judgement, str(chain_file)) if output_format == "json" else render_text(judgement)
    click.echo(text, nl=False)
    sys.exit(EXIT_OK if judgement.accepted else EXIT_REJECTED)


@click.command("inventory")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_format_option("text", "json", "markdown", "csv")
@_today_option("Reference date for pin-set expiry (default: today).")
@policy_options
def inventory(paths: tuple[Path, ...], output_format: str, today: date, config_path: Path | None,
              no_config: bool, max_file_size: int | None, profile: str) -> None:
    """List every pinned host in PATHS: platform, place, each pin and what it is, expiry, status, backup."""
    from pinlint.certs.inventory import build_inventory, linked_libraries
    from pinlint.render.inventory import RENDERERS, render_json

    scanned = _project_scan(paths, today, config_path, no_config, max_file_size, profile)
    entries = build_inventory(scanned.facts, today)
    libraries = linked_libraries(scanned.facts)
    text = render_json(entries, today, libraries) if output_format == "json" else RENDERERS[output_format](
        entries, libraries)
    click.echo(text, nl=False)


COMMANDS = (pins, chain_check, inventory)
