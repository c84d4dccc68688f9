"""Progress and outcome of a solve in planners' words, for the command line and the Solve page.

No objective, bound or gap: which step of the plan is being worked on, how many teachers the
plan found so far places, how far from the best possible it can at most be, and at the end one
sentence saying whether the plan is proven best, and if not, where and why not.
"""

from __future__ import annotations

import dataclasses
import math

from ..plan import ENDED_STOPPED, ENDED_TIME, Plan

#: level key → what that step does, (Chinese, English)
STEP_WORDS: dict[str, tuple[str, str]] = {
    "quota": ("完成交流比例和骨干比例", "meet the rotation quota and backbone share"),
    "moves": ("尽量保留已公示的安排", "keep the published placements"),
    "need": ("填补学科缺口", "fill the subject needs"),
    "links": ("保持结对关系、照顾软规则", "keep links alive and honour the soft rules"),
    "teachers": ("照顾教师意愿与资历", "honour teachers' wishes and seniority"),
}


def step_name(key: str, lang: str, fallback: str = "") -> str:
    words = STEP_WORDS.get(key)
    if words is None:
        return fallback or key
    return words[0] if lang == "zh" else words[1]


def _percent(gap: float) -> str:
    """At least 1 % once not proven ("at most 0 %" would read as proven); a bound from a search cut in
    its first second can be far off, and "at most 7052 %" says nothing more than "over 100 %"."""
    if gap > 1:
        return "100%+"
    return f"{max(1, math.ceil(gap * 100 - 1e-9))}%"


def distance_words(gap: float | None, lang: str) -> str:
    """How far from the best possible, in words: proven, at most N %, or not known yet."""
    zh = lang == "zh"
    if gap is None:
        return "离最好可能差多少尚不清楚" if zh else "how far from the best possible is not known yet"
    if gap == 0:
        return "已证明最好" if zh else "proven best"
    return f"离最好可能至多差 {_percent(gap)}" if zh else f"at most {_percent(gap)} from the best possible"


def filled_words(filled: float, lang: str) -> str:
    """How much of the subject need the plan fills, weighted as the solver weighs it (音体美 count more);
    rounded down, so that 100 % means every need is filled."""
    percent = math.floor(filled * 100 + 1e-9)
    return f"学科缺口已补 {percent}%（加权）" if lang == "zh" else f"{percent}% of the subject need filled (weighted)"


def progress_line(event, lang: str, filled: float | None = None) -> str:
    """One line for a `scheduler.model.Progress` event, e.g.
    "第2步/共4步：填补学科缺口 · 已安排 412 人 · 学科缺口已补 93%（加权） · 离最好可能至多差 3% · 1.2 秒".
    `filled`: the need's filled share to show instead of the event's own (the best plan's so far,
    also on the later steps, whose events carry none)."""
    zh = lang == "zh"
    step = step_name(event.level.key, lang, event.level.name(lang))
    head = (f"第{event.level_index + 1}步/共{event.level_count}步：{step}" if zh
            else f"step {event.level_index + 1} of {event.level_count}: {step}")
    parts = [head]
    done, total = getattr(event, "parts_done", None), getattr(event, "parts_total", None)
    if total and total > 1 and done:  # "0 of 2 done" at a step's start only stood still on the page
        parts.append(f"已完成 {done}/{total} 个独立片区" if zh else f"{done} of {total} independent areas done")
    placed = getattr(event, "placed", None)
    if placed is not None:
        parts.append(f"已安排 {placed} 人" if zh else f"{placed} teachers placed")
    share = filled if filled is not None else getattr(event, "filled", None)
    if share is not None:
        parts.append(filled_words(share, lang))
    if event.message == "start":
        parts.append("开始" if zh else "starting")
    elif total and done is not None and done < total:
        # Sums over the areas done so far: the rest of this step is still open.
        parts.append(("已完成的片区" if zh else "areas done: ") + distance_words(event.gap, lang))
    else:
        parts.append(distance_words(event.gap, lang))
    parts.append(f"{event.elapsed:.1f} 秒" if zh else f"{event.elapsed:.1f} s")
    return " · ".join(parts)


class ProgressWatch:
    """The running solve as a planner follows it, folded from its `Progress` events (`add`, the
    solver's thread) and read by the page (`line`, `fraction`) with the time shown live.

    The numbers never go back for no reason a planner can see. Once the need step has a plan, the line
    says how much of the subject need the best plan so far fills, and keeps saying it on the later
    steps (each keeps the need step's value). The teachers placed are the most any plan of this step
    has placed: within a step the count only rises (a later plan of the quota step may place fewer
    teachers than the starting plan, which says nothing about how good it is); it may change when the
    next step starts, from that step's first plan on. The bar moves within a step by
    its areas done and by how close the step is to proven, never backwards."""

    #: share of a step the bar may fill before the step is proven or its areas all done
    WITHIN = 0.9

    def __init__(self) -> None:
        self.last = None
        self.placed: int | None = None
        self.done = 0.0
        self.count = 0
        #: the need's filled share of the best plan so far, once the need step has reported one
        self.filled: float | None = None

    def add(self, event) -> None:
        step_changed = self.last is None or event.level_index != self.last.level_index
        self.last, self.count = event, self.count + 1
        if event.placed is not None and (step_changed or self.placed is None or event.placed > self.placed):
            self.placed = event.placed
        if event.filled is not None:  # the best plan's: a trial plan around the LP may fill less
            self.filled = max(event.filled, self.filled or 0.0)
        within = 0.0
        if event.message != "start":
            if event.parts_total and event.parts_done is not None:
                within = event.parts_done / event.parts_total  # the gap then covers only the areas done
            elif event.gap is not None:
                # a plan of a search still running (the whole model or its one large area)
                within = self.WITHIN * (1 - min(event.gap, 1.0))
        self.done = max(self.done, (event.level_index + min(within, 1.0)) / event.level_count)

    def fraction(self) -> float:
        return min(self.done, 1.0)

    def line(self, lang: str, elapsed: float | None = None) -> str | None:
        """The last event's line with the best plan's count and, given, the time so far (the
        event's own time stands still while a search finds nothing better); None before any event."""
        if self.last is None:
            return None
        event = self.last
        if elapsed is not None:
            event = dataclasses.replace(event, elapsed=max(elapsed, event.elapsed))
        if self.placed is not None:
            event = dataclasses.replace(event, placed=self.placed)
        return progress_line(event, lang, self.filled)


def _steps(plan: Plan, indices: list[int], lang: str) -> str:
    """"第3步（…）、第4步（…）"; every step at once is just "各步"."""
    if len(indices) == len(plan.levels) > 1:
        return "各步都" if lang == "zh" else "no step is"
    names = [f"第{i + 1}步（{step_name(plan.levels[i].key, lang, plan.levels[i].zh)}）" if lang == "zh"
             else f"step {i + 1} ({step_name(plan.levels[i].key, lang, plan.levels[i].en)})" for i in indices]
    return ("、" if lang == "zh" else ", ").join(names)


def status_sentence(plan: Plan, lang: str) -> str:
    """One sentence on how good the plan is: proven best on every step; or which steps are not
    proven and how far at most; and whether the time ran out or the planner stopped, with how many
    parts kept the starting plan."""
    zh = lang == "zh"
    if plan.status == "infeasible":
        return "没有满足全部硬规则的方案。" if zh else "No plan satisfies every hard rule."
    if plan.status == "edited":
        return ("这是手工修改的方案，未经求解器证明。" if zh
                else "This plan was edited by hand; the solver has proven nothing about it.")
    if plan.status == "optimal":
        return "每一步都已证明是最好的方案。" if zh else "Proven best on every step."

    sentences = []
    if plan.ended == ENDED_STOPPED:
        sentences.append("求解已被手动停止" if zh else "The solve was stopped")
    elif plan.ended == ENDED_TIME:
        sentences.append("求解时间已用完" if zh else "The time limit ran out")
    total = len(plan.parts)
    greedy = plan.greedy_parts
    if plan.status == "greedy" or (total and greedy == total):
        sentences.append("方案就是初始方案（求解器尚未改进）" if zh else "the plan is the starting plan (not improved by the solver)")
    elif greedy:
        sentences.append(f"{total} 个独立片区中有 {greedy} 个沿用初始方案" if zh
                         else f"{greedy} of {total} independent areas keep the starting plan")
    if plan.status == "unknown":
        sentences.append("部分片区没有找到满足全部硬规则的安排" if zh
                         else "for some areas no placement satisfying every hard rule was found")

    open_steps = [i for i, level in enumerate(plan.levels) if not level.proven]
    if not plan.levels:
        sentences.append("没有任何一步得到证明" if zh else "no step is proven")
    elif open_steps:
        bounded = [i for i in open_steps if plan.levels[i].gap is not None]
        unknown = [i for i in open_steps if plan.levels[i].gap is None]
        for group, known in ((bounded, True), (unknown, False)):
            if not group:
                continue
            steps = _steps(plan, group, lang)
            every = len(group) == len(plan.levels) > 1
            if zh:
                far = (f"，离最好可能至多差 {_percent(max(plan.levels[i].gap for i in group))}" if known
                       else "，差多少不清楚")
                sentences.append(f"{steps}未证明最好{far}")
            else:
                far = (f", at most {_percent(max(plan.levels[i].gap for i in group))} from the best possible" if known
                       else ", how far is not known")
                sentences.append(f"{steps} proven best{far}" if every else f"{steps} not proven best{far}")
    else:
        sentences.append("每一步的值都已证明最好" if zh else "every step's value is proven best")
    if zh:
        return "，".join(sentences) + "。"
    text = "; ".join(sentences)
    return text[:1].upper() + text[1:] + "."
