"""Sample planning cases generated from TOML scenarios (seeds/*.toml), for demos, tests and benchmarks."""

from .generate import generate_case
from .scenario import Roster, Scenario, load_scenario, registry_layout

__all__ = ["Roster", "Scenario", "generate_case", "load_scenario", "registry_layout"]
