"""What a re-plan changed against the published plan, teacher by teacher, and why.

One `Change` per teacher in either plan: kept, dropped, added or moved (another school or start
term), with the reason a planner writes in the change notice. A published placement that was
not kept names the first thing that stands in its way, in this order: the teacher withdrew (a
禁止交流 pin, a 免交流原因, any hard rule against the teacher), the planner forbade the school, the
need there shrank, a pin sends the teacher elsewhere or takes the seat, another hard rule on the
placement itself; else it gave way to what ranks higher and binds placements together (a host's
capacity, a team, a couple, the subject kept at home) or to the quota and backbone share: the rule
cannot tell which without solving again, and says so. An added teacher is there
for a pin, to take a seat a published teacher left, to fill a need, or for the quota.

Rows of the published plan that name a teacher or a school the workbook no longer has (the plan
reader reports them) come in as `unmatched` and are changes too: never dropped in silence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.subjects import subject_label
from .base import Text
from .context import Context
from .keep_published import keeps, published_placements
from .registry import active_rules

if TYPE_CHECKING:
    from ..plan import Placement, Plan

KEPT, DROPPED, ADDED, MOVED = "kept", "dropped", "added", "moved"
KIND_LABEL = {KEPT: Text("保留", "kept"), DROPPED: Text("取消", "dropped"), ADDED: Text("新增", "added"),
              MOVED: Text("调整", "moved")}
_ORDER = {DROPPED: 0, MOVED: 1, ADDED: 2, KEPT: 3}


@dataclass(frozen=True)
class Change:
    teacher_id: str
    kind: str
    before: Placement | None
    after: Placement | None
    #: withdrawn, forbidden, need_changed, pinned, not_allowed, higher_priority, unknown_teacher,
    #: school_gone (why a published placement went); pinned, refill, fill_need, quota (why one came)
    reason: str
    text: Text

    @property
    def changed(self) -> bool:
        return self.kind != KEPT


def plan_changes(ctx: Context, plan: Plan, unmatched: Sequence[Placement] = ()) -> list[Change]:
    """Every teacher of the published plan (`ctx.published`) and of `plan`: what became of them.
    Dropped first, then moved, added and kept, each by teacher id."""
    published = published_placements(ctx)
    placed = plan.by_teacher()
    before_of = {p.teacher_id: p for p in published}
    lost = [p for p in published if not keeps(p, placed.get(p.teacher_id))]
    changes: list[Change] = []
    for row in unmatched:
        if row.teacher_id in before_of:
            continue  # a second row of a teacher who has one that matches
        if not ctx.case.has_teacher(row.teacher_id):
            text = Text(f"教师编号“{row.teacher_id}”已不在名册中", f"teacher id {row.teacher_id!r} is no longer in the roster")
            changes.append(Change(row.teacher_id, DROPPED, row, None, "unknown_teacher", text))
            lost.append(row)
            continue
        before_of[row.teacher_id] = row
        gone = Text(f"学校编号“{row.school_id}”已不在学校表中", f"school id {row.school_id!r} is no longer in the schools sheet")
        after = placed.get(row.teacher_id)
        changes.append(Change(row.teacher_id, MOVED if after else DROPPED, row, after, "school_gone", gone))
        lost.append(row)
    rules = [r for r in active_rules(ctx.settings) if r.filters and r.mode(ctx.settings) == "hard"]
    done = {c.teacher_id for c in changes}
    for before in published:
        after = placed.get(before.teacher_id)
        if keeps(before, after):
            changes.append(Change(before.teacher_id, KEPT, before, after, "", Text("保留已公示的安排", "as published")))
            continue
        reason, text = _why_gone(ctx, rules, plan, before)
        changes.append(Change(before.teacher_id, MOVED if after else DROPPED, before, after, reason, text))
    done |= {p.teacher_id for p in published}
    for after in plan.placements:
        if after.teacher_id in done or after.teacher_id in before_of:
            continue
        reason, text = _why_added(ctx, after, lost)
        changes.append(Change(after.teacher_id, ADDED, None, after, reason, text))
    return sorted(changes, key=lambda c: (_ORDER[c.kind], c.teacher_id))


def _why_gone(ctx: Context, rules, plan: Plan, before: Placement) -> tuple[str, Text]:
    teacher = ctx.case.teacher(before.teacher_id)
    for rule in rules:
        reason = rule.why_not_teacher(ctx, teacher)
        if reason is not None:
            return "withdrawn", reason
    for rule in rules:
        reason = rule.why_not_school(ctx, teacher, before.school_id)
        if reason is not None:
            return ("forbidden" if rule.id == "pins" else "not_allowed"), reason
    school, subject = ctx.school_name(before.school_id), before.subject
    published_there = {o: 0 for o in before.ordinals}
    for other in ctx.published.placements if ctx.published else ():
        if other.school_id == before.school_id and other.subject == subject:
            for o in other.ordinals:
                if o in published_there:
                    published_there[o] += 1
    short = [o for o, count in published_there.items() if ctx.need.get((before.school_id, subject, o), 0) < count]
    if short:
        need = ctx.need.get((before.school_id, subject, short[0]), 0)
        label = subject_label(subject, "en")
        return "need_changed", Text(
            f"{school}{subject}需求已改为{need}人（已公示{published_there[short[0]]}人）",
            f"{school}'s {label} need is now {need} (published: {published_there[short[0]]})")
    pin = ctx.pinned.get(before.teacher_id)
    if pin is not None and pin.school_id != before.school_id:
        return "pinned", Text(f"已锁定{teacher.name}去{ctx.school_name(pin.school_id or '')}",
                              f"{teacher.name} is pinned to {ctx.school_name(pin.school_id or '')}")
    for other in plan.placements:
        if other.teacher_id in ctx.pinned and other.school_id == before.school_id and other.subject == subject \
                and set(other.ordinals) & set(before.ordinals) and other.teacher_id != before.teacher_id:
            name = ctx.teacher_name(other.teacher_id)
            return "pinned", Text(f"岗位由锁定的{name}接任", f"the seat goes to {name}, who is pinned there")
    for rule in rules:
        reason = rule.why_not_start(ctx, teacher, before.school_id, subject, before.start.ordinal, before.terms)
        if reason is not None:
            return "not_allowed", reason
    return "higher_priority", Text("为满足排在前面的规则而调整：安排之间的硬规则（接收容量、组团、夫妻、学科最少保留等）"
                                   "或交流比例与骨干比例",
                                   "changed for what ranks higher: a hard rule between placements (capacity, teams, "
                                   "couples, the subject kept at home ...) or the quota and backbone share")


def _why_added(ctx: Context, after: Placement, lost: Sequence[Placement]) -> tuple[str, Text]:
    pin = ctx.pinned.get(after.teacher_id)
    if pin is not None and pin.school_id == after.school_id:
        return "pinned", Text("锁定的安排", "pinned by the planner")
    school = ctx.school_name(after.school_id)
    for before in lost:
        if before.school_id == after.school_id and before.subject == after.subject \
                and set(before.ordinals) & set(after.ordinals):
            name = ctx.teacher_name(before.teacher_id) if ctx.case.has_teacher(before.teacher_id) else before.teacher_id
            return "refill", Text(f"接替{name}在{school}的岗位", f"takes {name}'s seat at {school}")
    if any(ctx.need.get((after.school_id, after.subject, o), 0) for o in after.ordinals):
        label = subject_label(after.subject, "en")
        return "fill_need", Text(f"填补{school}{after.subject}需求", f"fills {school}'s {label} need")
    return "quota", Text("满足交流比例", "for the rotation quota")
