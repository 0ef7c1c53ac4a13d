"""Parsers of source code: one front end per language, with the shared helpers they lower through."""
