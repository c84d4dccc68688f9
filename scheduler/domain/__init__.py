"""Plain domain models: no I/O, no solver."""

from .enums import BackboneLevel, Gender, Locality, PairingMode, PinAction, Stage, Title
from .models import Case, Demand, Link, Pin, School, Teacher
from .settings import Settings, settings_from
from .terms import Term

__all__ = [
    "BackboneLevel", "Case", "Demand", "Gender", "Link", "Locality", "PairingMode", "Pin",
    "PinAction", "School", "Settings", "Stage", "Teacher", "Term", "Title", "settings_from",
]
