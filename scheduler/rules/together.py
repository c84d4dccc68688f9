"""Rules that tie teachers together: teams go as one, spouses are not split across schools."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from .context import Context, term_label
from ..domain.settings import Settings
from .base import WEIGHT_SCALE, Finding, Rule, Text, Violation

if TYPE_CHECKING:
    from ..plan import Plan
    from .builder_api import GreedyPlan, ModelBuilder
    from .presolve import PreSolve


def _names(names: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def _team_slots(pre: PreSolve) -> dict[str, set[tuple[str, int, int]]]:
    """team → the (school, start, terms) every member could take (empty: the team can never go)."""
    slots: dict[int, set[tuple[str, int, int]]] = defaultdict(set)
    for option in pre.options:
        slots[option.teacher].add((option.school, option.start, option.terms))
    return {team: set.intersection(*(slots.get(pre.position[m.teacher_id], set()) for m in members))
            for team, members in pre.ctx.teams.items()}


class TeamDispatch(Rule):
    id = "team_dispatch"
    zh, en = "组团派出", "team dispatch"
    zh_doc = "团队编号相同的教师同去一所学校、同时开始、同样时长，或都不去"
    en_doc = ("teachers sharing a team id go to the same school from the same term for as long, "
              "or none of them goes")
    modes = ("hard", "off")

    relax_rank = 80

    def build(self, model: ModelBuilder) -> None:
        for members in model.ctx.teams.values():
            slots = []  # per member: (school, start, terms) → its options there (one per subject)
            for member in members:
                table: dict[tuple[str, int, int], list[int]] = defaultdict(list)
                for i in model.by_teacher.get(model.position(member.teacher_id), []):
                    option = model.options[i]
                    table[(option.school, option.start, option.terms)].append(i)
                slots.append(table)
            common = set(slots[0]).intersection(*slots[1:])
            for table in slots:
                for slot, indices in table.items():
                    if slot not in common:
                        model.forbid(self, indices)
            for slot in sorted(common):
                for table in slots[1:]:
                    model.same_count(self, slots[0][slot], table[slot])
                model.together(self, [table[slot] for table in slots])

    def seed(self, model: ModelBuilder, greedy: GreedyPlan) -> None:
        """Teams go as a unit, the most valuable first; their members are left out of the later steps
        (whatever this rule's mode: the greedy start never sends part of a team)."""
        greedy.held |= {model.position(m.teacher_id) for members in model.ctx.teams.values() for m in members}
        for unit in sorted(model.units, key=lambda u: sum(greedy.rank(m[0])[0] for m in u)):
            greedy.take([min(member, key=greedy.rank) for member in unit])

    def diagnose(self, pre: PreSolve) -> list[Finding]:
        """A team with no school that can take all its members at once stays home; that is a conflict
        when a member is pinned, or when its school then cannot send as many as a hard rule asks."""
        ctx = pre.ctx
        reachable = {option.teacher for option in pre.options}
        findings = []
        for team, common in sorted(_team_slots(pre).items()):
            if common:
                continue
            members = ctx.teams[team]
            names = [m.name for m in members]
            alone = [m.name for m in members if pre.position[m.teacher_id] not in reachable]
            pinned = [m.name for m in members if m.teacher_id in ctx.pinned]
            why_zh = f"，其中{_names(alone, 'zh')}没有任何可去的学校" if alone else ""
            why_en = f"; {_names(alone, 'en')} cannot go anywhere" if alone else ""
            # A pinned member must go, so the team cannot stay home: the case has no plan.
            then_zh = f"，但{_names(pinned, 'zh')}已被锁定派出" if pinned else "，整个团队将不派出"
            then_en = f", but {_names(pinned, 'en')} is pinned to go" if pinned else "; the team stays home"
            conflict = bool(pinned) or any(m.school_id in pre.schools_short for m in members)
            findings.append(Finding(self.id, conflict, Text(
                f"团队{team}（{_names(names, 'zh')}）没有一所能同时接收全体成员的学校{why_zh}{then_zh}",
                f"team {team} ({_names(names, 'en')}) has no school that can take all its members at once"
                f"{why_en}{then_en}"),
                teacher_ids=tuple(m.teacher_id for m in members),
                relax=Text("调整团队成员，或关闭“组团派出”规则" + ("，或删除锁定" if pinned else ""),
                           "change the team, or switch team dispatch off" + (", or remove the pin" if pinned else ""))))
        return findings

    def stays_home(self, pre: PreSolve) -> set[int]:
        """The members of teams that can never go together."""
        return {pre.position[m.teacher_id] for team, common in _team_slots(pre).items() if not common
                for m in pre.ctx.teams[team]}

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        placed = plan.by_teacher()
        violations = []
        for team, members in sorted(ctx.teams.items()):
            where = {(placed[m.teacher_id].school_id, placed[m.teacher_id].start, placed[m.teacher_id].terms)
                     if m.teacher_id in placed else None for m in members}
            if len(where) > 1:
                names = "、".join(m.name for m in members)
                violations.append(Violation(self.id, True, Text(
                    f"团队{team}（{names}）没有同去同一学校、同时开始、同样时长",
                    f"team {team} ({names}) is not placed together at one school from one term for as long"),
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
    relax_rank = 60

    def default_mode(self, settings: Settings) -> str:
        return "hard" if settings.couples_rule else "off"

    def build(self, model: ModelBuilder) -> None:
        # For each term T and each school s where a could be: a at s in T + b away in T − b at s in T ≤ 1.
        # Both away at the same school gives 1; at different schools 2.
        soft = model.mode(self) == "soft"
        for a, b in model.ctx.couples:
            a_options = model.by_teacher.get(model.position(a.teacher_id), [])
            b_options = model.by_teacher.get(model.position(b.teacher_id), [])
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
                        model.soft_at_most(self, terms, 1, WEIGHT_SCALE)
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
