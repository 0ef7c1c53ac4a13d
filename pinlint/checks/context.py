"""What a check receives besides facts: the reference date, the policy and the rule's options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pinlint.config.policy import Policy
from pinlint.rules import Rule


@dataclass
class CheckContext:
    today: date
    policy: Policy = field(default_factory=Policy)
    rule: Rule | None = None
    profile: str = "precommit"

    def option(self, name: str) -> Any:
        """The rule option's configured value, else its catalogue default."""
        assert self.rule is not None, "option() is only available inside a check"
        configured = self.policy.options.get(self.rule.id, {})
        if name in configured:
            return configured[name]
        configured = self.policy.options.get(self.rule.slug, {})
        if name in configured:
            return configured[name]
        return self.rule.option_defaults().get(name)
