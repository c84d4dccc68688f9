"""Every rule of the planner, in the order a planner reads the policy: hard rules, then the goals
by priority level. Add a rule here and the model, the audit and the explanations all use it."""

from __future__ import annotations

from ..domain.settings import Settings
from .base import Rule
from .capacity import HostCapacity, LinkMax, NeedCap, OnePlacement
from .eligibility import Eligibility, SendingSchool
from .fit import StageFit, SubjectFit
from .keep_home import KeepPerSubject
from .keep_published import KeepPublished
from .links_alive import LinksAlive
from .need import NeedFill
from .pairing import Pairing
from .pins import Pins
from .quota import BackboneShare, RotationQuota
from .time_window import TimeWindow
from .together import Couples, TeamDispatch
from .wishes import TeacherWishes

RULES: tuple[Rule, ...] = (
    OnePlacement(), Eligibility(), SendingSchool(), Pins(), SubjectFit(), StageFit(), TimeWindow(),
    NeedCap(), HostCapacity(), Pairing(), LinkMax(), KeepPerSubject(), TeamDispatch(), Couples(),
    KeepPublished(), RotationQuota(), BackboneShare(), NeedFill(), LinksAlive(), TeacherWishes(),
)
RULE_BY_ID = {rule.id: rule for rule in RULES}


def active_rules(settings: Settings) -> list[Rule]:
    return [rule for rule in RULES if rule.mode(settings) != "off"]


def rule_modes(settings: Settings) -> dict[str, str]:
    return {rule.id: rule.mode(settings) for rule in RULES}
