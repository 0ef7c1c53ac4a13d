"""Checks: small functions over facts, grouped by concern, one per rule.

Every check has the signature ``check(facts: FactStore, ctx: CheckContext) -> Iterable[Finding]`` and is
named by its rule file (``check: pinlint.checks.pins:missing_backup_pin``). Checks never read files.
"""
