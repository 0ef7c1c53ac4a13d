"""``pinlint lsp`` without the optional extra says how to install it and exits 2."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

WITHOUT_PYGLS = (
    "import sys; sys.modules['pygls'] = None; sys.argv = ['pinlint', 'lsp']; "
    "from pinlint.cli.app import main; main()"
)


def test_without_the_extra_it_says_how_to_install_it() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", WITHOUT_PYGLS], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "pip install 'pinlint[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr
