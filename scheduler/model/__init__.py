"""The CP-SAT model: options, constraints from the rules, greedy hint and lexicographic solve."""

from .solve import Progress, build, solve

__all__ = ["Progress", "build", "solve"]
