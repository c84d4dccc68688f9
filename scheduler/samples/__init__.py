"""Sample planning cases generated from TOML scenarios (seeds/*.toml), for demos, tests and benchmarks."""

from .generate import generate_case
from .scenario import Scenario, load_scenario

__all__ = ["Scenario", "generate_case", "load_scenario"]
