"""Scenario sweeps: one workbook solved under every combination of a grid of setting overrides,
one plan per scenario and one comparison table, on a local process pool or a Ray cluster.

Above the export layer (it solves, audits and writes plans), beside store and publish; the command
line (`python -m scheduler sweep`, scheduler/cli/sweep.py) reads the workbook and writes the files.
"""

from .grid import GridError, Scenario, scenarios
from .outcome import Outcome, solve_scenario
from .ray_runner import RayUnavailable
from .runners import Job, run_jobs
from .table import sweep_table, table_lines, write_sweep_table

__all__ = ["GridError", "Job", "Outcome", "RayUnavailable", "Scenario", "run_jobs", "scenarios", "solve_scenario", "sweep_table",
           "table_lines", "write_sweep_table"]
