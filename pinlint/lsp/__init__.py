"""``pinlint lsp``: a Language Server Protocol server on standard input and output.

Editors get pinlint's findings while a file is open: diagnostics on open, on every (debounced) change of
the unsaved buffer and on save, from the same scan as ``pinlint check`` with the project's policy in the
precommit profile; a code action that writes an inline suppression in the file's comment syntax; one that
opens the rule's documentation; and hover text with the rule's "why" and "fix".

The server needs the optional ``lsp`` extra (``pip install 'pinlint[lsp]'``, which brings pygls). The
modules here that do not speak the protocol (``positions``, ``documents``, ``analysis``) import nothing
from it; ``server`` is the only one that imports pygls at load time.
"""
