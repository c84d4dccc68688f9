"""A plan: placements and how it was found. No solver here, so hand-edited plans are plans too."""

from .placement import ENDED_DONE, ENDED_STOPPED, ENDED_TIME, LevelResult, PartResult, Placement, Plan

__all__ = ["ENDED_DONE", "ENDED_STOPPED", "ENDED_TIME", "LevelResult", "PartResult", "Placement", "Plan"]
