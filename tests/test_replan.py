"""Re-planning a published plan after changes (WORKBOOK.md, "Re-planning after publication"): after
the hard rules and the quota, the fewest changes to the published plan (rules/keep_published.py),
each change with its reason (rules/changes.py); `python -m scheduler replan` end to end."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cases import case, exclude, forbid, need, placed, plan, rural, settings, teacher, urban
from rule_verifier import RuleVerifier
from scheduler.audit import audit
from scheduler.cli import main
from scheduler.domain.settings import settings_from
from scheduler.export import write_plan_workbook
from scheduler.model import solve
from scheduler.rules.changes import ADDED, DROPPED, KEPT, MOVED, plan_changes
from scheduler.rules.context import Context
from scheduler.rules.levels import LEVEL_BY_KEY
from scheduler.workbook import read_paths, write_case

REPO = Path(__file__).resolve().parents[1]
LUEYANG = REPO / "sample_data" / "lueyang_county.xlsx"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: the neutral settings of `cases.settings()` as a workbook's 设置 sheet writes them
NEUTRAL_TEXT = {"quota_rate": "0%", "backbone_share": "0%", "pairing_mode": "any"}


def three_teachers(*extra):
    """R1 and R2 each need one 数学 teacher. T1 wishes only R1, T2 only R2, T3 R2 then R1 and has served
    longest: the best plan is T1 → R1, T3 → R2 (both first wishes), T2 home. When T1 withdraws, a plan
    from scratch moves T3 to R1 (T2 to R2: one step down T3's list, no wish broken), a re-plan keeps T3
    at R2 and sends T2 to R1 (a wish broken, which ranks below the published plan)."""
    return case(urban("U1"), rural("R1"), rural("R2"), teacher("T1", "U1", wishes=("R1",)),
                teacher("T2", "U1", wishes=("R2",)), teacher("T3", "U1", years=10, wishes=("R2", "R1")),
                need("R1"), need("R2"), *extra).model_copy(update={"settings": NEUTRAL_TEXT})


def where(p) -> dict[str, str]:
    return {x.teacher_id: x.school_id for x in p.placements}


@pytest.fixture(scope="module")
def published():
    result = solve(three_teachers(), settings())
    assert result.status == "optimal" and where(result) == {"T1": "R1", "T3": "R2"}
    return result


def test_after_one_withdrawal_a_replan_changes_only_what_it_must(published):
    changed, chosen = three_teachers(exclude("T1")), settings()
    fresh = solve(changed, chosen)
    assert where(fresh) == {"T3": "R1", "T2": "R2"}  # from scratch, T3 would move: the test is worth running
    result = solve(changed, chosen, published=published)
    assert result.status == "optimal"
    assert where(result) == {"T3": "R2", "T2": "R1"}  # every other published placement kept, T1's seat refilled
    assert audit(changed, chosen, result).ok
    assert {level.key: level.value for level in result.levels}["moves"] == 1  # only T1's placement is lost
    changes = plan_changes(Context(changed, chosen, published), result)
    summary = [(c.teacher_id, c.kind, c.reason) for c in changes]
    assert summary == [("T1", DROPPED, "withdrawn"), ("T2", ADDED, "refill"), ("T3", KEPT, "")]
    assert changes[0].text.zh == "T1被设为禁止交流" and changes[0].after is None
    assert changes[1].text.zh == "接替T1（T1）在R1的岗位" and changes[1].before is None
    # the changes of the plan from scratch name the move the re-plan avoids
    assert ("T3", MOVED) in [(c.teacher_id, c.kind) for c in plan_changes(Context(changed, chosen, published), fresh)]


def test_a_need_gone_and_a_new_forbid_are_named_as_the_reasons(published):
    chosen = settings()
    no_need = case(urban("U1"), rural("R1"), rural("R2"), rural("R3"), *three_teachers().teachers, need("R2"),
                   need("R3"))  # R1 no longer needs anyone, R3 does
    result = solve(no_need, chosen, published=published)
    assert where(result)["T3"] == "R2"  # kept
    change = next(c for c in plan_changes(Context(no_need, chosen, published), result) if c.teacher_id == "T1")
    assert change.kind in (MOVED, DROPPED) and change.reason == "need_changed"
    assert change.text.zh == "R1数学需求已改为0人（已公示1人）"

    forbidden = three_teachers(forbid("T3", "R2"))
    result = solve(forbidden, chosen, published=published)
    assert where(result) == {"T1": "R1", "T2": "R2"}  # T1 kept; T3 may go nowhere else, T2 takes R2
    summary = [(c.teacher_id, c.kind, c.reason) for c in plan_changes(Context(forbidden, chosen, published), result)]
    assert summary == [("T3", DROPPED, "forbidden"), ("T2", ADDED, "refill"), ("T1", KEPT, "")]


def test_the_moves_level_ranks_after_the_quota_and_before_the_need():
    from scheduler.rules.levels import LEVELS
    assert [level.key for level in LEVELS][:3] == ["quota", "moves", "need"]
    assert LEVEL_BY_KEY["moves"].number == 5  # a new number: level1..level4 keep their names


def test_keeping_the_published_plan_ranks_above_the_need(published):
    """R1's need weighs 5, R2's 1: from scratch T3 would go where the need is heavier. The re-plan still
    keeps T3 where it was published; the need comes after the moves."""
    heavy = case(urban("U1"), rural("R1", priority=5), rural("R2"), teacher("T3", "U1"), need("R1"), need("R2"))
    old = plan(placed("T3", "R2"))
    assert where(solve(heavy, settings())) == {"T3": "R1"}
    assert where(solve(heavy, settings(), published=old)) == {"T3": "R2"}


def test_without_a_published_plan_the_rule_costs_nothing_and_says_nothing():
    c = three_teachers()
    verify = RuleVerifier("keep_published", c, settings())
    assert verify.penalty(placed("T1", "R2")) == 0
    ctx = Context(c, settings())
    from scheduler.rules import RULE_BY_ID
    rule = RULE_BY_ID["keep_published"]
    assert not rule.applies(ctx) and rule.audit(ctx, plan(placed("T1", "R2"))) == []
    assert "moves" not in [level.key for level in solve(c, settings()).levels]


def test_a_published_placement_moved_or_dropped_is_a_shortfall_of_the_audit(published):
    c, chosen = three_teachers(), settings()
    report = audit(c, chosen, plan(placed("T3", "R1")), published)
    shortfalls = [v for v in report.shortfalls if v.rule == "keep_published"]
    assert [v.text.zh for v in shortfalls] == ["已公示的安排未保留：T1（T1）→R1（2026秋起）",
                                               "已公示的安排未保留：T3（T3）→R2（2026秋起）"]
    assert [v.amount for v in shortfalls] == [1, 1]
    assert report.ok  # keeping the published plan is never a hard rule


def test_a_published_placement_no_option_allows_is_named_before_the_solve(published):
    from scheduler.explain.diagnosis import diagnose  # noqa: F401  (the diagnosis asks every rule)
    from scheduler.model.options import enumerate_options
    from scheduler.rules import RULE_BY_ID, active_rules
    from scheduler.rules.presolve import PreSolve
    c, chosen = three_teachers(exclude("T1")), settings()
    ctx = Context(c, chosen, published)
    rules = active_rules(chosen)
    pre = PreSolve(ctx, enumerate_options(ctx, [r for r in rules if r.filters]), rules)
    findings = RULE_BY_ID["keep_published"].diagnose(pre)
    assert [f.text.zh for f in findings] == ["已公示的安排T1（T1）→R1（2026秋起）无法保留：T1被设为禁止交流"]


# --- the command line -----------------------------------------------------------------------

@pytest.fixture
def published_files(tmp_path, published) -> tuple[Path, Path]:
    workbook, plan_path = tmp_path / "case.xlsx", tmp_path / "published.xlsx"
    c = three_teachers()
    write_case(c, workbook)
    write_plan_workbook(c, settings(), published, plan_path)
    return workbook, plan_path


def test_a_published_plan_naming_a_teacher_the_workbook_no_longer_has_is_reported_row_by_row(
        tmp_path, published_files, capsys):
    _, plan_path = published_files
    c = three_teachers()
    gone = c.model_copy(update={"teachers": [t for t in c.teachers if t.teacher_id != "T1"]})
    workbook = tmp_path / "without_t1.xlsx"
    write_case(gone, workbook)
    out, summary = tmp_path / "new.xlsx", tmp_path / "new.json"
    code = main(["replan", str(workbook), str(plan_path), "--out", str(out), "--json", str(summary)])
    said = capsys.readouterr()
    assert code == 0, said.out + said.err
    assert "教师编号“T1”不在“教师”表中" in said.out and "第2行" in said.out  # the row it is on
    changes = json.loads(summary.read_text(encoding="utf-8"))["changes"]
    assert [(c["teacher_id"], c["kind"], c["reason"]) for c in changes] == [("T1", "dropped", "unknown_teacher"),
                                                                              ("T2", "added", "refill")]
    assert changes[0]["before"] == {"school_id": "R1", "school_name": "R1", "start_term": "2026秋", "subject": "数学",
                                    "terms": 2} and changes[0]["after"] is None


def test_a_published_plan_with_an_unreadable_row_writes_nothing(tmp_path, published_files, capsys):
    workbook, plan_path = published_files
    book = load_workbook(plan_path)
    book.worksheets[0]["H2"] = "某学期"  # the start term of T1's row
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    out = tmp_path / "new.xlsx"
    assert main(["replan", str(workbook), str(broken), "--out", str(out)]) == 1
    assert "未重新规划" in capsys.readouterr().err and not out.exists()


def test_replan_refuses_to_write_over_an_input(published_files, capsys):
    workbook, plan_path = published_files
    assert main(["replan", str(workbook), str(plan_path), "--out", str(plan_path)]) == 2
    assert "就是输入文件" in capsys.readouterr().err
    assert main(["--lang", "en", "replan", str(workbook), str(workbook), "--out", "x.xlsx"]) == 2
    assert "the same file" in capsys.readouterr().err


def test_replan_end_to_end_on_a_sample_solve_export_withdraw_replan(tmp_path, capsys):
    published = tmp_path / "published.xlsx"
    assert main(["solve", str(LUEYANG), "--out", str(published)]) in (0, 1)
    capsys.readouterr()
    loaded = read_paths([LUEYANG])
    first = load_workbook(published).worksheets[0]
    header = [cell.value for cell in first[1]]
    withdrawn = first.cell(row=2, column=header.index("教师编号") + 1).value
    # The planner withdraws one teacher: a 禁止交流 row on the 锁定 sheet of a copy of the workbook.
    book = load_workbook(LUEYANG)
    book["锁定"].append([withdrawn, None, "禁止交流", None])
    workbook = tmp_path / "lueyang_withdrawn.xlsx"
    book.save(workbook)
    before = (_digest(workbook), _digest(published))
    out, summary = tmp_path / "replanned.xlsx", tmp_path / "replanned.json"
    code = main(["replan", str(workbook), str(published), "--out", str(out), "--json", str(summary)])
    said = capsys.readouterr().out
    assert code == 0, said
    assert (_digest(workbook), _digest(published)) == before  # the inputs are only read
    result = json.loads(summary.read_text(encoding="utf-8"))
    changes = result["changes"]
    assert [c["kind"] for c in changes if c["teacher_id"] == withdrawn] == ["dropped"]
    assert next(c for c in changes if c["teacher_id"] == withdrawn)["reason"] == "withdrawn"
    others = [c for c in changes if c["teacher_id"] != withdrawn]
    assert all(c["kind"] == "added" for c in others), others  # nobody else moved or was dropped
    assert len(others) <= 1
    published_count = len(read_plan_placements(loaded.case, published))
    assert len(result["unchanged"]) == published_count - 1
    assert "与已公示方案相比：保留 %d 人，调整 0 人，取消 1 人" % (published_count - 1) in said
    sheets = load_workbook(out).sheetnames
    assert sheets[:2] == ["派出安排", "变更"]
    rows = list(load_workbook(out)["变更"].iter_rows(values_only=True))
    assert rows[0][:3] == ("类别", "教师编号", "姓名") and rows[1][0] == "取消" and rows[1][1] == withdrawn


def read_plan_placements(c, path):
    from scheduler.export import read_plan
    result, problems = read_plan(c, path, settings_from(c.settings))
    assert problems.ok
    return result.placements
