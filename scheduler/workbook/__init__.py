"""The roster workbook: read and validate, write back, and the blank template."""

from .read import Loaded, read_files, read_paths
from .report import Problem, Report
from .template import write_template
from .writer import write_case

__all__ = ["Loaded", "Problem", "Report", "read_files", "read_paths", "write_case", "write_template"]
