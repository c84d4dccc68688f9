"""Rules that tie teachers together: teams go as one, spouses are not split across schools."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from .context import Context, term_label
from ..domain.settings import Settings
from .base import Rule, Text, Violation

if TYPE_CHECKING:
    from ..model.builder import PlanModel
    from ..plan import Plan


class TeamDispatch(Rule):
    id = "team_dispatch"
    zh, en = "组团派出", "team dispatch"
    zh_doc = "团队编号相同的教师同去一所学校、同时开始，或都不去"
    en_doc = "teachers sharing a team id go to the same school from the same term, or none of them goes"
    modes = ("hard", "off")

    def build(self, model: PlanModel) -> None:
        position = {t.teacher_id: i for i, t in enumerate(model.ctx.case.teachers)}
        for members in model.ctx.teams.values():
            slots = []  # per member: (school, start) → its options there (one per subject)
            for member in members:
                table: dict[tuple[str, int], list[int]] = defaultdict(list)
                for i in model.by_teacher.get(position[member.teacher_id], []):
                    table[(model.options[i].school, model.options[i].start)].append(i)
                slots.append(table)
            common = set(slots[0]).intersection(*slots[1:])
            for table in slots:
                for slot, indices in table.items():
                    if slot not in common:
                        for i in indices:
                            model.model.add(model.x[i] == 0)
            for slot in sorted(common):
                first = model.sum(slots[0][slot])
                for table in slots[1:]:
                    model.model.add(model.sum(table[slot]) == first)
                model.units.append([table[slot] for table in slots])

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        placed = plan.by_teacher()
        violations = []
        for team, members in sorted(ctx.teams.items()):
            where = {(placed[m.teacher_id].school_id, placed[m.teacher_id].start) if m.teacher_id in placed else None
                     for m in members}
            if len(where) > 1:
                names = "、".join(m.name for m in members)
                violations.append(Violation(self.id, True, Text(
                    f"团队{team}（{names}）没有同去同一学校、同时开始",
                    f"team {team} ({names}) is not placed together at one school from one term"),
                    tuple(m.teacher_id for m in members), amount=1))
        return violations


class Couples(Rule):
    id = "couples"
    zh, en = "夫妻不分离", "couples together"
    zh_doc = "同为教师的夫妻不同时派往不同学校（可同去一校）"
    en_doc = "two spouses are not both away at the same time unless at the same school"
    modes = ("hard", "soft", "off")
    settings_keys = ("couples_rule",)
    level = 3

    def default_mode(self, settings: Settings) -> str:
        return "hard" if settings.couples_rule else "off"

    def build(self, model: PlanModel) -> None:
        # For each term T and each school s where a could be: a at s in T + b away in T − b at s in T ≤ 1.
        # Both away at the same school gives 1; at different schools 2.
        position = {t.teacher_id: i for i, t in enumerate(model.ctx.case.teachers)}
        soft = model.mode(self) == "soft"
        for a, b in model.ctx.couples:
            a_options = model.by_teacher.get(position[a.teacher_id], [])
            b_options = model.by_teacher.get(position[b.teacher_id], [])
            if not a_options or not b_options:
                continue
            for ordinal in range(model.ctx.horizon[0], model.ctx.horizon[1] + 1):
                a_here = [i for i in a_options if ordinal in model.covered(model.options[i])]
                b_here = [i for i in b_options if ordinal in model.covered(model.options[i])]
                if not a_here or not b_here:
                    continue
                for school in sorted({model.options[i].school for i in a_here}):
                    terms = [(i, 1) for i in a_here if model.options[i].school == school]
                    terms += [(i, 1) for i in b_here if model.options[i].school != school]
                    if soft:
                        split = model.model.new_bool_var("")
                        model.model.add(sum(model.x[i] for i, _ in terms) <= 1 + split)
                        model.aux_cost(self.level, split, 10)
                    else:
                        model.at_most(self, terms, 1)

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        placed = plan.by_teacher()
        violations = []
        for a, b in ctx.couples:
            pa, pb = placed.get(a.teacher_id), placed.get(b.teacher_id)
            if pa is None or pb is None or pa.school_id == pb.school_id:
                continue
            overlap = set(pa.ordinals) & set(pb.ordinals)
            if overlap:
                first = min(overlap)
                violations.append(Violation(self.id, self.mode(ctx.settings) == "hard", Text(
                    f"夫妻{a.name}与{b.name}在{term_label(first)}分别在{ctx.school_name(pa.school_id)}和{ctx.school_name(pb.school_id)}",
                    f"spouses {a.name} and {b.name} are at {ctx.school_name(pa.school_id)} and "
                    f"{ctx.school_name(pb.school_id)} in {term_label(first, 'en')}"),
                    (a.teacher_id, b.teacher_id), (pa.school_id, pb.school_id), amount=1))
        return violations
