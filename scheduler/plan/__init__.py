"""A plan: placements and how it was found. No solver here, so hand-edited plans are plans too."""

from .placement import LevelResult, Placement, Plan

__all__ = ["LevelResult", "Placement", "Plan"]
