"""Explanations of a plan in planners' words: diagnosis before solving, why a placement, why a
teacher stays home."""

from .diagnosis import Finding, diagnose
from .infeasible import InfeasibilityReport, explain_infeasible
from .score import ScoreLine, score_breakdown
from .why import school_story, teacher_details, why_placed

__all__ = ["ScoreLine", "score_breakdown", "Finding", "InfeasibilityReport", "diagnose", "explain_infeasible", "school_story", "teacher_details", "why_placed"]
