"""Compiled Android resources inside an archive: binary XML members wait for the archive's ``resources.arsc``,
then are turned back into text XML (``pinlint.parsers.binary.axml``) with their resource references named, so
the manifest and network security config parsers read them like the source files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pinlint.parsers.binary import arsc, axml

TABLE_NAME = "resources.arsc"


@dataclass
class CompiledResources:
    """The binary XML and resource tables of one scan of an archive (and the archives inside it)."""

    tables: dict[str, arsc.ResourceTable] = field(default_factory=dict)
    waiting: list[tuple[str, str, str, bytes]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def take(self, display: str, name: str, data: bytes) -> bool:
        """Keep a member that is a resource table or binary XML (True), or leave it to the parsers (False)."""
        container = display[: len(display) - len(name)]
        if name == TABLE_NAME:
            try:
                self.tables[container] = arsc.read(data)
            except axml.AxmlError as error:
                self.problems.append((display, f"malformed resource table: {error}"))
            return True
        if axml.is_axml(data[:8]):
            self.waiting.append((container, display, name, data))
            return True
        return False

    def decoded(self) -> Iterator[tuple[str, str, bytes | None, str]]:
        """(display, name, text XML or None, why not) for each binary XML member, then the tables' problems."""
        for container, display, name, data in self.waiting:
            table = self.tables.get(container)
            try:
                yield display, name, axml.to_text(data, table.name if table else lambda _id: None), ""
            except axml.AxmlError as error:
                yield display, name, None, f"malformed binary XML: {error}"
        for display, reason in self.problems:
            yield display, "", None, reason
