"""What every rule is: an id, names in both languages, its settings, and build / audit / explain.

Hard rules that restrict *which* placements exist answer `why_not_*`: the option enumeration
creates no variable where one of them objects, the audit asks the same question of a finished
plan, and the explanation quotes the answer. Rules that link placements to each other add
constraints in `build` and check them in `audit`. Goals add penalty terms at their priority
level and report their shortfalls in `audit`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ..domain.models import Teacher
from ..domain.settings import Settings

if TYPE_CHECKING:
    from ..model.builder import PlanModel
    from .context import Context
    from ..plan import Plan


@dataclass(frozen=True)
class Text:
    """A sentence in both languages."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Violation:
    """A broken hard rule (`hard`) or a policy shortfall, naming who and where."""

    rule: str
    hard: bool
    text: Text
    teacher_ids: tuple[str, ...] = ()
    school_ids: tuple[str, ...] = ()
    #: how much is missing, for shortfalls (teachers, or weighted teacher-terms)
    amount: float = 0.0


@dataclass
class Explanation:
    """What a rule contributed to a plan: a headline and the detail lines."""

    rule: str
    headline: Text
    details: list[Text] = field(default_factory=list)


class Rule:
    id: ClassVar[str]
    zh: ClassVar[str]
    en: ClassVar[str]
    #: one line on what the rule asks, in each language
    zh_doc: ClassVar[str] = ""
    en_doc: ClassVar[str] = ""
    #: the modes a planner may choose, the first being the default unless `default_mode` says otherwise
    modes: ClassVar[tuple[str, ...]] = ("hard",)
    #: the settings keys (WORKBOOK.md) that shape the rule
    settings_keys: ClassVar[tuple[str, ...]] = ()
    #: the lexicographic level its penalties go to, when it has any (1 = highest)
    level: ClassVar[int | None] = None
    #: True for rules that filter options through the why_not_* questions
    filters: ClassVar[bool] = False

    def default_mode(self, settings: Settings) -> str:
        return self.modes[0]

    def mode(self, settings: Settings) -> str:
        chosen = settings.rule_modes.get(self.id)
        return chosen if chosen in self.modes else self.default_mode(settings)

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    # --- option filters (only where `filters` is True) ----------------------------------

    def school_scope(self, ctx: Context, teacher: Teacher) -> set[str] | None:
        """The only receiving schools this rule allows for the teacher, or None for no limit."""
        return None

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        return None

    def why_not_school(self, ctx: Context, teacher: Teacher, school_id: str) -> Text | None:
        return None

    def why_not_start(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int) -> Text | None:
        return None

    def why_not(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int) -> Text | None:
        return (self.why_not_teacher(ctx, teacher) or self.why_not_school(ctx, teacher, school_id)
                or self.why_not_start(ctx, teacher, school_id, subject, start))

    # --- the three uses -----------------------------------------------------------------

    def build(self, model: PlanModel) -> None:
        """Add constraints or penalty terms. Filter rules that are hard need nothing more."""
        if self.filters and model.mode(self) == "soft":
            model.penalize_options(self, [i for i, option in enumerate(model.options)
                                          if self.why_not(model.ctx, *model.option_args(option))])

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        """Check a finished plan without the solver."""
        if not self.filters:
            return []
        hard = self.mode(ctx.settings) == "hard"
        violations = []
        for placement in plan.placements:
            if not ctx.case.has_teacher(placement.teacher_id):
                continue  # the plan reader reports unknown teachers
            teacher = ctx.case.teacher(placement.teacher_id)
            reason = self.why_not(ctx, teacher, placement.school_id, placement.subject, placement.start.ordinal)
            if reason is not None:
                violations.append(Violation(self.id, hard, reason, (teacher.teacher_id,), (placement.school_id,),
                                            amount=1))
        return violations

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        """What the rule did in this plan; filter rules say how many options they ruled out."""
        return Explanation(self.id, Text(f"{self.zh}：{self.zh_doc}", f"{self.en}: {self.en_doc}"))
