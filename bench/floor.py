#!/usr/bin/env python3
"""The floor of a scan: what no implementation of pinlint's job in Python can avoid.

Usage: ``python bench/floor.py MANIFEST.json`` (a manifest written by ``bench/probe.py``)

Starts the interpreter, imports pinlint's command line (its start-up, as every run pays it) and
tree-sitter with the grammars the manifest names, lists every folder the scan's discovery listed (each
entry asked whether it is a folder, as any walk must), reads every file discovery handed on (whole), and
parses exactly the files pinlint handed to a grammar, in the same language. It analyses nothing:
pinlint's CPU time over this program's is the cost of everything pinlint does beyond reading and parsing.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        manifest = json.load(handle)
    import pinlint.cli  # noqa: F401  (start-up, as every scan pays it)
    from pinlint.parsers.code.treesitter import parser_for

    # the grammars loaded as pinlint loads them (its own cached parsers)
    parsers = {language: parser_for(language)
               for language in {language for _path, language, _size in manifest["parsed"]}}
    entries = 0
    for directory in manifest.get("directories", []):
        try:
            with os.scandir(directory) as listing:
                for entry in listing:
                    entry.is_dir(follow_symlinks=False)
                    entries += 1
        except OSError:
            continue
    contents: dict[str, bytes] = {}
    wanted = {path for path, _language, _size in manifest["parsed"]}
    total = 0
    for path in manifest["candidates"]:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        total += len(data)
        if path in wanted:
            contents[path] = data
    nodes = 0
    for path, language, _size in manifest["parsed"]:
        content = contents.get(path)
        if content is not None:
            tree = parsers[language].parse(content)
            nodes += tree.root_node.end_byte
            del tree
    print(json.dumps({"listed_entries": entries, "read_bytes": total, "parsed_files": len(manifest["parsed"]),
                      "parsed_bytes": nodes}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
