"""What a county planner trying the pages stumbled on, each checked as they would check it (AppTest,
the bundled Lüeyang sample, a store of its own): a rule switch and the value it follows never
disagree; a new project says where its data came from; the history names 本机管理员, not the
server's OS account; the Plan page's unmet goals are a closed, scrollable grid naming schools; the
Export page says what it made (接收名单 per school, ...) in planners' terms."""

from __future__ import annotations

import getpass

from streamlit.testing.v1 import AppTest

from app_support import planner, start
from test_app import solve


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_a_rule_switch_and_the_value_it_follows_are_one_choice() -> None:
    at = start()
    at.switch_page("ui/pages/rules.py").run()
    pairing = at.radio(key="set_pairing_mode_zh")
    assert at.selectbox(key="mode_pairing_zh").value == "hard" and pairing.value.value == "strict"
    # the switch moves the value: 结对关系 off is 结对模式 不限
    at.selectbox(key="mode_pairing_zh").set_value("off").run()
    assert not at.exception, at.exception
    assert at.radio(key="set_pairing_mode_zh").value.value == "any"
    assert planner(at).settings().pairing_mode.value == "any"
    # and the value moves the switch back, even after it was set by hand
    at.radio(key="set_pairing_mode_zh").set_value(at.radio(key="set_pairing_mode_zh").options[1]).run()
    assert at.selectbox(key="mode_pairing_zh").value == "soft"
    settings = planner(at).settings()
    assert settings.pairing_mode.value == "prefer" and settings.rule_modes.get("pairing", "soft") == "soft"
    assert "与上方“结对模式”联动" in _captions(at), "the switch says what it moves with"
    # a switch no value gives (交流比例 off) says the values it makes idle
    assert not any("此值暂不生效" in c for c in _captions(at))
    at.selectbox(key="mode_quota_zh").set_value("off").run()
    assert planner(at).settings().rule_modes["quota"] == "off"
    assert any("“交流比例”已关闭" in c and "此值暂不生效" in c for c in _captions(at)), _captions(at)
    # 比例硬约束 decides 交流比例 and 骨干比例 alike: the toggle moves both switches
    at.selectbox(key="mode_quota_zh").set_value("hard").run()
    assert at.toggle(key="set_quota_hard").value is True
    assert at.selectbox(key="mode_backbone_zh").value == "hard"


def test_a_new_project_says_whether_it_copies_this_one_or_starts_from_the_sample() -> None:
    at = start()
    titles = at.selectbox(key=f"sample_choice_zh_{planner(at).data_version}")
    titles.set_value(next(o for o in titles.options if o.startswith("青岭县"))).run()
    at.button(key="use_sample").click().run()
    at.switch_page("ui/pages/rules.py").run()
    at.number_input(key="set_min_years").set_value(9).run()
    at.switch_page("ui/pages/data.py").run()
    first = planner(at).project.name

    at.text_input(key="project_new_name").input("青岭县副本").run()
    assert at.radio(key="project_start_zh").value == "copy"
    at.button(key="project_create").click().run()
    assert not at.exception, at.exception
    state = planner(at)
    assert (state.project.name, state.source, state.settings().min_years) == ("青岭县副本", "registry_county.xlsx", 9)
    assert any(f"复制自“{first}”" in s.value for s in at.success), [s.value for s in at.success]

    at.text_input(key="project_new_name").input("空白项目").run()
    at.radio(key="project_start_zh").set_value("sample").run()
    at.button(key="project_create").click().run()
    state = planner(at)
    assert (state.project.name, state.source, state.overrides) == ("空白项目", "lueyang_county.xlsx", {})
    assert state.settings().min_years != 9  # the sample's own 设置, none of the other project's changes
    assert any("示例数据" in s.value and "默认设置" in s.value for s in at.success)
    # the copied project kept its own settings
    at.selectbox(key=f"project_pick_{state.project.id}").set_value(
        next(p.id for p in state.store.projects() if p.name == "青岭县副本")).run()
    assert planner(at).settings().min_years == 9 and planner(at).source == "registry_county.xlsx"


def test_the_history_names_the_local_planner_not_the_servers_account() -> None:
    at = start()
    history = next(e for e in at.expander if e.label.startswith("项目历史"))
    lines = " ".join(m.value for m in history.markdown)
    assert "本机管理员 在" in lines and "新建了项目" in lines, lines
    assert f"{getpass.getuser()} 在" not in lines


def test_unmet_goals_are_a_closed_grid_and_the_export_says_what_it_made() -> None:
    at = start()
    solve(at)
    at.switch_page("ui/pages/plan.py").run()
    assert not at.exception, at.exception
    goals = next(e for e in at.expander if e.label.startswith("未达到的目标"))
    assert not goals.proto.expanded
    grid = next(d.value for d in goals.dataframe)
    assert list(grid.columns) == ["目标", "学校", "教师", "缺口", "说明"]
    assert len(grid) == int(goals.label.split("（")[1].split(" ")[0])
    state = planner(at)
    names = {s.name for s in state.case.schools}
    assert all(part in names for cell in grid["学校"] if cell for part in cell.split("、")), "schools by name"
    assert not any(cell.startswith("[") for cell in grid["说明"])  # no "[未达到]" tags: the goal has its column
    first = grid["目标"].iloc[0]
    at.selectbox(key="shortfall_goal").set_value(first).run()
    narrowed = next(d.value for d in next(e for e in at.expander if e.label.startswith("未达到的目标")).dataframe)
    assert set(narrowed["目标"]) == {first}

    at.switch_page("ui/pages/export.py").run()
    at.button(key="publish_make").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    made = next(s.value for s in at.success if s.value.startswith("已生成发布文件"))
    hosts = {p.school_id for p in state.plan.placements}
    assert f"各接收学校的接收名单 {len(hosts)} 份" in made and f"{len(state.plan.placements)} 名交流教师" in made, made
    assert "个文件" in made and "派遣通知书" in made
