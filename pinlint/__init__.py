"""pinlint: a static policy linter for the transport security of mobile apps."""

__version__ = "0.1.0"
