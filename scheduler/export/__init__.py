"""What a plan becomes for people: the assignment workbook, the JSON summary and the headline
figures, and the plan read back from an edited workbook."""

from .headline import Headline, headline, status_label
from .plan_reader import read_plan
from .sheets import unplaced_ahead, write_plan_workbook
from .summary import plan_summary
from .unplaced import Unplaced, unplaced_teachers

__all__ = ["Headline", "Unplaced", "headline", "plan_summary", "read_plan", "status_label", "unplaced_ahead",
           "unplaced_teachers", "write_plan_workbook"]
