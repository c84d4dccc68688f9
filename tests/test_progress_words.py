"""The running solve in planners' words (scheduler.export.progress_words.ProgressWatch), on a real
solve of a bundled sample: which step of how many, the teachers placed (rising within a step) and
a bar that never goes back, the time shown live, and no solver words (bound, gap, objective)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from scheduler.domain import settings_from
from scheduler.export.progress_words import ProgressWatch
from scheduler.model import Progress, solve
from scheduler.workbook import read_paths

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
SOLVER_WORDS = ("界", "差距", "当前值", "目标值", "bound", "gap", "objective")


@cache
def watched(name: str = "datong_city") -> tuple[list[Progress], list[tuple[str, str, float, int | None]], object]:
    """The events of a real solve (Datong: three areas, a few seconds; its quota step ends on plans
    placing fewer teachers than the starting plan), and after each: the page's line (zh, en), bar and count shown."""
    loaded = read_paths([SAMPLES / f"{name}.xlsx"])
    assert loaded.ok, loaded.report
    watch, events, seen = ProgressWatch(), [], []

    def progress(event: Progress) -> None:
        events.append(event)
        watch.add(event)
        seen.append((watch.line("zh", event.elapsed + 5.0), watch.line("en"), watch.fraction(), watch.placed))

    plan = solve(loaded.case, settings_from(loaded.case.settings), progress=progress)
    return events, seen, plan


def test_every_line_names_the_step_in_planners_words_without_solver_terms():
    events, seen, _ = watched()
    assert events, "the solve reported no progress"
    for (zh, en, _, _), event in zip(seen, events):
        assert re.match(rf"第{event.level_index + 1}步/共{event.level_count}步：", zh), zh
        assert en.startswith(f"step {event.level_index + 1} of {event.level_count}: "), en
        assert not any(word in zh or word in en for word in SOLVER_WORDS), (zh, en)


def test_the_count_and_the_bar_never_go_back_and_the_bar_ends_full():
    events, seen, plan = watched()
    bars = [fraction for _, _, fraction, _ in seen]
    assert all(a <= b for a, b in zip(bars, bars[1:])), bars
    for step in {event.level_index for event in events}:
        counts = [placed for (*_, placed), event in zip(seen, events) if event.level_index == step]
        # within a step the count shown only rises: the best of the step's plans so far
        assert all(a <= b for a, b in zip(counts, counts[1:])), (step, counts)
        assert counts[-1] == max(e.placed for e in events if e.level_index == step), (step, counts)
    # the last count shown is the plan the solve hands over
    assert seen[-1][3] == len(plan.placements), (seen[-1][3], len(plan.placements))
    # (the proof of the last step may come after its last plan: the page then shows the outcome)
    assert plan.proven and bars[-1] > 0.9, bars
    # the bar moves inside a step, not only when the next one starts
    first_step = [fraction for (_, _, fraction, _), event in zip(seen, events) if event.level_index == 0]
    assert max(first_step) > 0, first_step


def test_the_time_shown_is_the_time_so_far_not_the_last_plans():
    events, seen, _ = watched()
    zh = seen[-1][0]
    assert f"{events[-1].elapsed + 5.0:.1f} 秒" in zh, zh
    assert ProgressWatch().line("zh", 3.0) is None  # before any report: the page says it is preparing


def test_from_the_need_step_on_the_line_says_how_much_of_the_need_the_plan_fills():
    """"学科缺口已补 N%（加权）": shown once the need step has a plan of the whole case, kept on the later
    steps, and at the end it is the share of the weighted need the handed-over plan fills."""
    import math

    from scheduler.rules.context import Context
    from scheduler.rules.need import need_rows

    events, seen, plan = watched()
    need_step = next(event.level_index for event in events if event.level.key == "need")
    before = [zh for (zh, *_), event in zip(seen, events) if event.level_index < need_step]
    assert before and not any("学科缺口已补" in zh for zh in before), before[:2]
    after = [(zh, en) for (zh, en, *_), event in zip(seen, events) if event.level_index > need_step]
    assert after and all("学科缺口已补" in zh and "of the subject need filled" in en for zh, en in after), after[:2]
    loaded = read_paths([SAMPLES / "datong_city.xlsx"])
    rows = need_rows(Context(loaded.case, settings_from(loaded.case.settings)), plan)
    share = sum(r.filled * r.weight for r in rows) / sum(r.need * r.weight for r in rows)
    assert f"学科缺口已补 {math.floor(share * 100 + 1e-9)}%（加权）" in seen[-1][0], (seen[-1][0], share)


def test_the_need_share_shown_never_drops_within_the_need_step():
    """A trial plan around the LP may fill less need than the best plan so far: the line keeps the best."""
    events, _, _ = watched()
    need = next(event for event in events if event.filled is not None)
    watch = ProgressWatch()
    watch.add(need)
    worse = replace(need, objective=need.need_total)  # a plan that fills nothing
    watch.add(worse)
    shown = re.search(r"学科缺口已补 (\d+)%", watch.line("zh"))
    assert shown and int(shown.group(1)) == int(need.filled * 100 + 1e-9), watch.line("zh")
