"""What every rule is: an id, names in both languages, its settings, its level and modes, and the
answers to every question the rest of the program asks of rules.

Hard rules that restrict *which* placements exist answer `why_not_*`: the option enumeration
creates no variable where one of them objects, the audit asks the same question of a finished
plan, and the explanation quotes the answer. Rules that link placements to each other add
rows in `build` (through `builder_api.ModelBuilder`) and check them in `audit`. Goals add costs
at their own `level` and report their shortfalls in `audit`.

Besides build / audit / explain, a rule answers (each a no-op by default): `diagnose` (what it
can see cannot hold before solving), `relaxation` (what relaxing it means, for an infeasible
case), `why_unplaced` (why it keeps a teacher home, for the 未派出教师 sheet) and `seed` (its
step of the greedy starting plan). Diagnosis, infeasibility, the unplaced report and the greedy
plan loop over the registry and never name a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from ..domain.models import Case, Teacher
from ..domain.settings import Settings
from .levels import WEIGHT_SCALE

if TYPE_CHECKING:
    from ..plan import Plan
    from .builder_api import GreedyPlan, ModelBuilder
    from .context import Context
    from .presolve import PreSolve


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
    """What a rule contributed to a plan, in one headline."""

    rule: str
    headline: Text


@dataclass(frozen=True)
class Finding:
    """What the pre-solve diagnosis sees: a rule that cannot hold (`conflict`, no plan exists until it
    is relaxed) or a shortfall the plan will show, naming schools and teachers, with a way out."""

    rule: str
    conflict: bool
    text: Text
    school_ids: tuple[str, ...] = ()
    teacher_ids: tuple[str, ...] = ()
    relax: Text | None = None


@dataclass(frozen=True)
class Relaxation:
    """What relaxing a hard rule means: the words for the planner and the settings that do it."""

    rule: str
    text: Text
    settings: Settings
    #: the case changed too (a pin dropped), or None when only the settings change
    case: Case | None = None


@dataclass(frozen=True)
class Blocked:
    """Why a rule keeps a teacher home whatever the plan: a category key and label, and the reason."""

    category: str
    label: Text
    reason: Text


#: the 未派出教师 category of a teacher a filter rule keeps home whatever the plan
NOT_ELIGIBLE = Text("不符合交流条件", "not eligible")


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
    #: the lexicographic level its penalties go to, when it has any (a `levels.Level.number`; the
    #: priority is the order of `levels.LEVELS`)
    level: ClassVar[int | None] = None
    #: True for rules that filter options through the why_not_* questions
    filters: ClassVar[bool] = False
    #: the mode tried instead of hard when no plan exists ("default": the first of soft / off the
    #: rule allows; None: never suggested), and where the suggestion comes (planners accept a lower
    #: one sooner; equal ranks keep the registry order)
    relax_to: ClassVar[str | None] = "default"
    relax_rank: ClassVar[int] = 100
    #: the planner's own decisions are the first answer to why a teacher stays home
    planner_decision: ClassVar[bool] = False

    def default_mode(self, settings: Settings) -> str:
        return self.modes[0]

    def mode(self, settings: Settings) -> str:
        chosen = settings.rule_modes.get(self.id)
        return chosen if chosen in self.modes else self.default_mode(settings)

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def applies(self, ctx: Context) -> bool:
        """Whether the rule has anything to say about this case: keep_published only about a re-plan
        (the score breakdown and the explanations leave out a rule that does not apply)."""
        return True

    # --- option filters (only where `filters` is True) ----------------------------------

    def school_scope(self, ctx: Context, teacher: Teacher) -> set[str] | None:
        """The only receiving schools this rule allows for the teacher, or None for no limit."""
        return None

    def why_not_teacher(self, ctx: Context, teacher: Teacher) -> Text | None:
        return None

    def why_not_school(self, ctx: Context, teacher: Teacher, school_id: str) -> Text | None:
        return None

    def why_not_start(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int,
                      terms: int | None = None) -> Text | None:
        """Why not this placement from `start` for `terms` terms (None: as long as its need's placements last)."""
        return None

    def why_not(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int,
                terms: int | None = None) -> Text | None:
        return (self.why_not_teacher(ctx, teacher) or self.why_not_school(ctx, teacher, school_id)
                or self.why_not_start(ctx, teacher, school_id, subject, start, terms))

    # The same questions answered yes or no, without wording a reason: the option enumeration and a
    # soft filter's charge ask them of every option (2.2 million at city scale in 优先), where most
    # of the cost was the text of a reason nobody reads. A rule overrides them where that pays.

    def allows_school(self, ctx: Context, teacher: Teacher, school_id: str) -> bool:
        return self.why_not_school(ctx, teacher, school_id) is None

    def allows_start(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int,
                     terms: int | None = None) -> bool:
        return self.why_not_start(ctx, teacher, school_id, subject, start, terms) is None

    # The same again, made once for a teacher and asked of each of the teacher's candidates: the
    # enumeration of a city in 优先 asked 1.5 million schools and 2.2 million starts one call each.
    # They answer only for what the enumeration offers (`model.options.teacher_options`): schools
    # inside every rule's `school_scope`, other than the home school, that need one of the teacher's
    # subjects; of each, the teacher's subjects at the spans of `Context.need_spans`. A rule may leave
    # out what that already ensures, and None means "everything offered passes".

    def school_test(self, ctx: Context, teacher: Teacher) -> Callable[[str], bool] | None:
        """`allows_school(ctx, teacher, ·)` for the schools offered to `teacher`."""
        return partial(self.allows_school, ctx, teacher)

    def start_test(self, ctx: Context, teacher: Teacher) -> Callable[[str, str, int, int], bool] | None:
        """`allows_start(ctx, teacher, school, subject, start, terms)` for the placements offered."""
        return partial(self.allows_start, ctx, teacher)

    def blocks(self, ctx: Context, teacher: Teacher, school_id: str, subject: str, start: int,
               terms: int | None = None) -> bool:
        """Whether `why_not` objects."""
        return (self.why_not_teacher(ctx, teacher) is not None or not self.allows_school(ctx, teacher, school_id)
                or not self.allows_start(ctx, teacher, school_id, subject, start, terms))

    def asks(self, question: str) -> bool:
        """Whether this rule has anything to say to `question` ("scope", "school" or "start"): the
        enumeration skips the others rather than call a method that always allows."""
        own = type(self)
        if question == "scope":
            return own.school_scope is not Rule.school_scope
        if question == "school":
            return own.why_not_school is not Rule.why_not_school or own.allows_school is not Rule.allows_school
        return own.why_not_start is not Rule.why_not_start or own.allows_start is not Rule.allows_start

    # --- the three uses -----------------------------------------------------------------

    def build(self, model: ModelBuilder) -> None:
        """Add rows or costs. Filter rules that are hard need nothing more; soft ones charge one
        teacher's weight at their level for every option they object to."""
        if not self.filters or model.mode(self) != "soft":
            return
        ctx, options, charged = model.ctx, model.options, []
        for position, indices in model.by_teacher.items():
            teacher = ctx.case.teachers[position]
            if self.why_not_teacher(ctx, teacher) is not None:
                charged.extend(indices)
                continue
            # The options were enumerated without this rule, so its scope is not given: it is asked too.
            scope = self.school_scope(ctx, teacher)
            school_ok = self.school_test(ctx, teacher) if self.asks("school") else None
            start_ok = self.start_test(ctx, teacher) if self.asks("start") else None
            if scope is None and school_ok is None and start_ok is None:
                continue
            for i in indices:
                o = options[i]
                if ((scope is not None and o.school not in scope) or (school_ok is not None and not school_ok(o.school))
                        or (start_ok is not None and not start_ok(o.school, o.subject, o.start, o.terms))):
                    charged.append(i)
        model.option_costs_of(self, ((i, WEIGHT_SCALE) for i in sorted(charged)))

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
            reason = self.why_not(ctx, teacher, placement.school_id, placement.subject, placement.start.ordinal,
                                  placement.terms)
            if reason is not None:
                violations.append(Violation(self.id, hard, reason, (teacher.teacher_id,), (placement.school_id,),
                                            amount=1))
        return violations

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        """What the rule did in this plan; filter rules say how many options they ruled out."""
        return Explanation(self.id, Text(f"{self.zh}：{self.zh_doc}", f"{self.en}: {self.en_doc}"))

    # --- the other questions ------------------------------------------------------------

    def diagnose(self, pre: PreSolve) -> list[Finding]:
        """What arithmetic on the case shows cannot hold (or will fall short), before solving."""
        return []

    def stays_home(self, pre: PreSolve) -> set[int]:
        """Positions of teachers this rule keeps home whatever the solver does (for the diagnosis)."""
        return set()

    def seat_limit(self, pre: PreSolve, home: str, school_id: str, starts: int, seats: int) -> int:
        """An upper bound on the placements from `home` that `school_id` can take in one school year,
        given `seats` so far and the number of distinct start terms offered."""
        return seats

    def relax_mode(self) -> str | None:
        if self.relax_to != "default":
            return self.relax_to
        return next((mode for mode in ("soft", "off") if mode in self.modes), None)

    def relaxation(self, settings: Settings) -> Relaxation | None:
        """The one-rule relaxation to try when no plan exists, or None when the rule is not hard here."""
        mode = self.relax_mode()
        if mode is None or mode not in self.modes or self.mode(settings) != "hard":
            return None
        zh, en = {"soft": ("软约束", "soft"), "off": ("关闭", "off")}[mode]
        relaxed = settings.model_copy(update={"rule_modes": {**settings.rule_modes, self.id: mode}})
        return Relaxation(self.id, Text(f"把“{self.zh}”设为{zh}", f"set {self.en} to {en}"), relaxed)

    def relaxations(self, case: Case, settings: Settings) -> list[Relaxation]:
        """Every relaxation of this rule worth trying when no plan exists (by default its mode's)."""
        relaxation = self.relaxation(settings)
        return [] if relaxation is None else [relaxation]

    def why_unplaced(self, ctx: Context, teacher: Teacher) -> Blocked | None:
        """Why this rule keeps the teacher home whatever the plan; filter rules quote why_not_teacher."""
        reason = self.why_not_teacher(ctx, teacher) if self.filters else None
        if reason is None:
            return None
        return Blocked("not_eligible", NOT_ELIGIBLE, reason)

    def scope_reason(self, ctx: Context, teacher: Teacher, none_at_all: bool, subjects: Text) -> Text:
        """Why `school_scope` leaves the teacher no school: none at all, or none that needs `subjects`."""
        if none_at_all:
            return Text(f"{self.zh}不允许{teacher.name}去任何学校", f"{self.en} allows {teacher.name} no school")
        return Text(f"{self.zh}允许的学校都不需要{subjects.zh}教师",
                    f"no school {self.en} allows needs a {subjects.en} teacher")

    def seed(self, model: ModelBuilder, greedy: GreedyPlan) -> None:
        """This rule's step of the greedy starting plan (asked of every rule, in registry order)."""
