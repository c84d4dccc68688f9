"""The roster workbook: read and validate, write back, and the blank template."""

from .column_mapping import ColumnMapping, UnmatchedSheet
from .read import Loaded, read_files, read_paths
from .report import Problem, Report
from .template import write_template
from .writer import write_case

__all__ = ["ColumnMapping", "Loaded", "Problem", "Report", "UnmatchedSheet", "read_files", "read_paths", "write_case",
           "write_template"]
