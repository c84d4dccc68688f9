"""继续求解: a solve cut by its time limit before its plan is proven offers to go on from that plan
with twice the time, and the plan found so far is what the next solve starts from (nothing is lost)."""

from __future__ import annotations

from app_support import ROOT, planner, start, upload


def test_a_solve_cut_by_its_limit_goes_on_from_its_plan_with_twice_the_time():
    at = start()
    upload(at, "datong_city.xlsx", (ROOT / "sample_data" / "datong_city.xlsx").read_bytes())
    at.switch_page("ui/pages/rules.py").run()
    pairing = at.radio(key="set_pairing_mode_zh")
    pairing.set_value(pairing.options[1]).run()  # 优先: one part of 48,877 options, not proven in 1 s
    at.number_input(key="set_time_limit_s").set_value(1).run()
    at.switch_page("ui/pages/solve.py").run()
    at.button(key="solve").click().run()
    first = planner(at).job
    first.wait(120)
    at.run()
    assert first.plan is not None and first.plan.ended == "time_limit" and not first.plan.proven
    assert not at.exception
    button = at.button(key="solve_continue")
    assert "继续求解" in button.label and "2 秒" in button.label
    button.click().run()
    second = planner(at).job
    assert second is not first
    assert second.hint is first.plan  # the solve starts from the plan found, not from the greedy plan
    assert second.settings.time_limit_s == 2
    second.wait(120)
    at.run()
    assert not at.exception
    # never worse than where it started: the plan found so far is kept or improved
    assert [level.value for level in second.plan.levels] <= [level.value for level in first.plan.levels]
