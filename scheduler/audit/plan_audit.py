"""The independent check of a plan: only the rules' audit methods, never the solver.

It takes any plan, from the solver or edited by hand, and lists every broken hard rule and
every policy shortfall (quota, backbone share, unmet need, links), naming teachers and schools.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.context import Context
from ..domain.models import Case
from ..domain.settings import Settings, required_settings
from ..plan import Plan
from ..rules import RULE_BY_ID, Text, Violation, active_rules
from ..rules.need import NeedRow, need_rows
from ..rules.quota import QuotaRow, quota_rows


@dataclass
class AuditReport:
    violations: list[Violation] = field(default_factory=list)
    #: the context the plan was judged in, so the exports that follow reuse what it indexed (who is
    #: eligible where, the need cells) instead of building it again; see `context_for`
    context: Context | None = field(default=None, compare=False, repr=False)
    #: the plan judged, so its quota and need rows are computed once (`quota_and_need`)
    plan: Plan | None = field(default=None, compare=False, repr=False)
    _rows: tuple[list[QuotaRow], list[NeedRow]] | None = field(default=None, init=False, compare=False, repr=False)

    def context_for(self, case: Case, settings: Settings) -> Context:
        """The audit's own context when it judged this case under these settings (no re-plan), else a new one."""
        ctx = self.context
        if ctx is not None and ctx.case is case and ctx.settings is settings and ctx.published is None:
            return ctx
        return Context(case, required_settings(settings))

    def quota_and_need(self, ctx: Context, plan: Plan) -> tuple[list[QuotaRow], list[NeedRow]]:
        """`plan`'s `quota_rows` and `need_rows` in `ctx`: for the audit's own plan and context computed
        once, as the printed figures, the plan workbook and the JSON summary each need both."""
        if ctx is not self.context or plan is not self.plan:
            return quota_rows(ctx, plan), need_rows(ctx, plan)
        if self._rows is None:
            self._rows = (quota_rows(ctx, plan), need_rows(ctx, plan))
        return self._rows

    @property
    def hard(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    @property
    def shortfalls(self) -> list[Violation]:
        return [v for v in self.violations if not v.hard]

    @property
    def ok(self) -> bool:
        """No hard rule is broken (shortfalls of soft goals do not make a plan invalid)."""
        return not self.hard

    def by_rule(self) -> dict[str, list[Violation]]:
        table: dict[str, list[Violation]] = {}
        for violation in self.violations:
            table.setdefault(violation.rule, []).append(violation)
        return table

    def lines(self, lang: str = "zh") -> list[str]:
        lines = []
        for violation in sorted(self.violations, key=lambda v: (not v.hard, v.rule)):
            label = ("违反" if violation.hard else "未达到") if lang == "zh" else ("broken" if violation.hard else "short")
            lines.append(f"[{label}] {RULE_BY_ID[violation.rule].name(lang)}: {violation.text.get(lang)}")
        return lines

    def summary(self, lang: str = "zh") -> str:
        hard, short = len(self.hard), len(self.shortfalls)
        if lang == "zh":
            return f"违反硬规则 {hard} 处，未达目标 {short} 处"
        return f"{hard} hard-rule violation(s), {short} shortfall(s)"


def unknown_references(ctx: Context, plan: Plan) -> list[Violation]:
    """Placements of teachers or schools the case does not have (a plan typed by hand)."""
    violations = []
    for p in plan.placements:
        if not ctx.case.has_teacher(p.teacher_id):
            violations.append(Violation("one_placement", True, Text(f"教师编号“{p.teacher_id}”不在名册中",
                                                                    f"teacher id {p.teacher_id!r} is not in the roster"),
                                        (p.teacher_id,), amount=1))
        if not ctx.case.has_school(p.school_id):
            violations.append(Violation("time_window", True, Text(f"学校编号“{p.school_id}”不在学校表中",
                                                                  f"school id {p.school_id!r} is not in the schools sheet"),
                                        school_ids=(p.school_id,), amount=1))
    return violations


def audit(case: Case, settings: Settings, plan: Plan, published: Plan | None = None) -> AuditReport:
    """Every broken hard rule and shortfall of `plan` under `settings` (the ones it is judged by);
    with `published`, a re-plan of it, each published placement not kept is a shortfall too."""
    ctx = Context(case, required_settings(settings), published)
    violations = unknown_references(ctx, plan)
    known = Plan([p for p in plan.placements if case.has_teacher(p.teacher_id) and case.has_school(p.school_id)])
    for rule in active_rules(settings):
        violations.extend(rule.audit(ctx, known))
    return AuditReport(violations, ctx, plan)
