"""The planner's rules: each builds its part of the model, audits a plan and explains itself."""

from .base import Explanation, Rule, Text, Violation
from .levels import LEVELS, Level
from .registry import RULE_BY_ID, RULES, active_rules, rule_modes

__all__ = ["Explanation", "LEVELS", "Level", "RULES", "RULE_BY_ID", "Rule", "Text", "Violation",
           "active_rules", "rule_modes"]
