"""Process plumbing every layer may use (it imports nothing of the planner's): see gc_pause."""

from .gc_pause import collection_paused

__all__ = ["collection_paused"]
