"""Placement length and form per need (issue 13 item 4, 需求.交流学期数 / 需求.交流方式).

A one-term 支教 need and a two-year exchange in one plan: each option lasts as long as its need
asks, every rule counts the terms a placement really covers (need, capacity, couples, the
subject kept at home, pins' start terms, the greedy start), the exports show the form and the
real start and end, and the audit of a hand-edited plan reads each placement's own length.

Unless a test says otherwise: neutral settings (`cases.settings`), 2-term placements by the
setting, the horizon the span of the needs (2026秋–2028春 where the two-year need is in it).
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from cases import (FALL, SPRING, broken, case, check, need, pin, placed, plan, run, rural, settings, teacher,
                   urban)
from rule_verifier import RuleVerifier
from scheduler.audit import audit
from scheduler.explain.diagnosis import diagnose
from scheduler.export import plan_summary, read_plan, write_plan_workbook
from scheduler.export.audit_text import audit_lines
from scheduler.model.greedy import greedy_plan
from scheduler.model.solve import build, placements_of
from scheduler.rules.context import Context
from scheduler.rules.need import need_rows
from scheduler.workbook import read_files, write_case

LAST = "2028春"  # the fourth term from 2026秋


def spans(p) -> dict[str, tuple[str, str, str, int]]:
    """teacher → (school, start, end, terms)."""
    return {x.teacher_id: (x.school_id, x.start.label(), x.end.label(), x.terms) for x in p.placements}


def two_kinds():
    """U1 sends; R1 asks a one-term 支教 音乐 teacher for 2026秋, R2 a 数学 teacher for two years."""
    return case(urban("U1"), rural("R1"), rural("R2"),
                teacher("T1", "U1", "音乐"), teacher("T2", "U1", "数学"),
                need("R1", "音乐", FALL, FALL, terms=1, form="支教"),
                need("R2", "数学", FALL, LAST, terms=4, form="定期交流"))


@pytest.fixture(scope="module")
def solved():
    c = two_kinds()
    return c, settings(), run(c)


# --- the options and the solve -------------------------------------------------------------

def test_a_one_term_and_a_two_year_need_in_one_plan(solved):
    _, _, result = solved
    assert spans(result) == {"T1": ("R1", "2026秋", "2026秋", 1), "T2": ("R2", "2026秋", LAST, 4)}


def test_options_last_as_long_as_their_need():
    ctx, model = build(two_kinds(), settings())
    assert {(o.school, o.subject, o.start, o.terms) for o in model.options} == {
        ("R1", "音乐", ctx.horizon[0], 1), ("R2", "数学", ctx.horizon[0], 4)}
    # without 交流学期数 the setting decides, as before: a one-term need takes no 2-term placement
    plain = case(urban("U1"), rural("R1"), teacher("T1", "U1", "音乐"), need("R1", "音乐", FALL, FALL))
    assert build(plain, settings())[1].options == []
    assert build(plain, settings(placement_terms=1))[1].options[0].terms == 1


def test_need_is_counted_in_every_real_term(solved):
    c, chosen, result = solved
    rows = {(r.school_id, r.term): (r.need, r.filled) for r in need_rows(Context(c, chosen), result)}
    ctx = Context(c, chosen)
    first = ctx.horizon[0]
    assert rows == {("R1", first): (1, 1), **{("R2", first + k): (1, 1) for k in range(4)}}
    assert audit(c, chosen, result).ok


def test_rows_of_two_lengths_at_one_school_offer_both_lengths():
    """The same school and subject asks a one-term 支教 and a two-year teacher from 2026秋: one
    music teacher goes for a term, the other for four, and 2026秋's need of two is filled."""
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1", "音乐"), teacher("T3", "U1", "音乐"),
             need("R1", "音乐", FALL, FALL, terms=1, form="支教"),
             need("R1", "音乐", FALL, LAST, terms=4, form="定期交流"))
    result = run(c)
    assert sorted(p.terms for p in result.placements) == [1, 4]
    ctx = Context(c, settings())
    assert {(p.terms, ctx.form_of(p.school_id, p.subject, p.start.ordinal, p.terms)) for p in result.placements} \
        == {(1, "支教"), (4, "定期交流")}
    # a two-term placement fits neither row
    verify = RuleVerifier("time_window", c, settings())
    assert verify.vetoed(placed("T1", "R1", "音乐", FALL, 2))
    assert not verify.vetoed(placed("T1", "R1", "音乐", FALL, 1), placed("T3", "R1", "音乐", FALL, 4))


def test_host_capacity_counts_the_terms_a_placement_really_covers():
    """R1 hosts one teacher at a time and asks two one-term teachers in each term: one goes in
    2026秋 and one in 2027春 (a placement of the setting's two terms would take both beds-terms)."""
    c = case(urban("U1"), rural("R1", capacity=1), teacher("T1", "U1", "音乐"), teacher("T3", "U1", "音乐"),
             need("R1", "音乐", FALL, SPRING, count=2, terms=1, form="支教"))
    result = run(c)
    assert sorted((p.start.label(), p.terms) for p in result.placements) == [(FALL, 1), (SPRING, 1)]
    verify = RuleVerifier("host_capacity", c, settings())
    assert verify.forbids(placed("T1", "R1", "音乐", FALL, 1), placed("T3", "R1", "音乐", FALL, 1))
    assert not verify.forbids(placed("T1", "R1", "音乐", FALL, 1), placed("T3", "R1", "音乐", SPRING, 1))
    # the greedy start obeys the per-term rows too
    _, model = build(c, settings())
    greedy = placements_of(model, greedy_plan(model))
    assert sorted(p.start.label() for p in greedy) == [FALL, SPRING]


def test_couples_are_apart_only_in_the_terms_they_really_cover():
    """Spouses on one-term needs at two schools, one in 2026秋, one in 2027春: never apart at once."""
    c = case(urban("U1"), rural("R1"), rural("R2"), teacher("T1", "U1", "音乐", spouse="T2"),
             teacher("T2", "U1", "数学", spouse="T1"),
             need("R1", "音乐", FALL, FALL, terms=1), need("R2", "数学", SPRING, SPRING, terms=1))
    result = run(c, modes={"couples": "hard"})
    assert spans(result) == {"T1": ("R1", FALL, FALL, 1), "T2": ("R2", SPRING, SPRING, 1)}
    [v] = broken(check(c, plan(placed("T1", "R1", "音乐", FALL, 2), placed("T2", "R2", "数学", SPRING, 1)),
                       modes={"couples": "hard"}), "couples")
    assert set(v.teacher_ids) == {"T1", "T2"}


def test_keep_per_subject_counts_the_real_terms_away():
    """U1 has two music teachers and keeps one at home: with one-term needs both can go, one a term."""
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1", "音乐"), teacher("T3", "U1", "音乐"),
             need("R1", "音乐", FALL, SPRING, count=2, terms=1))
    result = run(c, keep_per_subject=1)
    assert sorted(p.start.label() for p in result.placements) == [FALL, SPRING]


def test_a_pin_start_term_is_the_start_of_the_options_own_span():
    """Pinned from 2027春, the last term of the horizon: a one-term placement fits there."""
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1", "音乐"), pin("T1", "R1", SPRING),
             need("R1", "音乐", FALL, SPRING, terms=1, form="支教"))
    assert spans(run(c)) == {"T1": ("R1", SPRING, SPRING, 1)}


def test_the_quota_diagnosis_counts_seats_over_each_options_own_terms():
    """A one-term need in 2026秋 takes U1's one teacher: no certain quota shortfall."""
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1", "音乐"), need("R1", "音乐", FALL, FALL, terms=1))
    assert spans(run(c, quota_rate=1.0)) == {"T1": ("R1", FALL, FALL, 1)}
    assert [f.text.en for f in diagnose(c, settings(quota_rate=1.0)) if f.rule == "quota"] == []


# --- the exports ---------------------------------------------------------------------------

def _sheet_rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:] if any(v is not None for v in row)]


@pytest.fixture(scope="module")
def exported(solved, tmp_path_factory):
    c, chosen, result = solved
    path = tmp_path_factory.mktemp("need_length") / "plan.xlsx"
    write_plan_workbook(c, chosen, result, path)
    return path


def test_placements_sheet_shows_form_start_end_and_length(exported):
    rows = {r["教师编号"]: r for r in _sheet_rows(openpyxl.load_workbook(exported)["派出安排"])}
    assert {t: (r["开始学期"], r["结束学期"], r["学期数"], r["交流方式"]) for t, r in rows.items()} == {
        "T1": ("2026秋", "2026秋", 1, "支教"), "T2": ("2026秋", LAST, 4, "定期交流")}


def test_receiving_sheet_shows_form_and_each_teachers_real_span(exported):
    rows = _sheet_rows(openpyxl.load_workbook(exported)["接收学校汇总"])
    r1 = [r for r in rows if r["学校编号"] == "R1"]
    assert [(r["学期"], r["交流方式"], r["在岗交流教师"]) for r in r1] == [
        ("2026秋", "支教", "T1（U1，2026秋–2026秋，支教）")]
    r2 = [r for r in rows if r["学校编号"] == "R2"]
    assert [r["学期"] for r in r2] == ["2026秋", "2027春", "2027秋", LAST]
    assert {r["在岗交流教师"] for r in r2} == {f"T2（U1，2026秋–{LAST}，定期交流）"}
    assert [r["本学期到岗"] for r in r2] == [f"T2（U1，2026秋–{LAST}，定期交流）", None, None, None]


def test_json_summary_carries_form_and_end(solved):
    c, chosen, result = solved
    summary = json.loads(json.dumps(plan_summary(c, chosen, result), ensure_ascii=False))
    records = {p["teacher_id"]: p for p in summary["placements"]}
    assert {t: (p["start_term"], p["end_term"], p["terms"], p["form"]) for t, p in records.items()} == {
        "T1": ("2026秋", "2026秋", 1, "支教"), "T2": ("2026秋", LAST, 4, "定期交流")}


def test_a_placement_without_form_writes_it_empty():
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1"), need("R1"))
    result = run(c)
    summary = plan_summary(c, settings(), result)
    assert summary["placements"][0]["form"] is None
    buffer = io.BytesIO()
    write_plan_workbook(c, settings(), result, buffer)
    [row] = _sheet_rows(openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["派出安排"])
    assert row["交流方式"] in (None, "") and row["学期数"] == 2


# --- reading a plan back and auditing it ---------------------------------------------------

def _edited(path, changes: dict[str, dict[str, object]], drop: tuple[str, ...] = ()) -> bytes:
    """The plan workbook with cells of the placements sheet changed (teacher → header → value)."""
    book = openpyxl.load_workbook(path)
    sheet = book["派出安排"]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for header, value in changes.get(row[0].value, {}).items():
            row[headers.index(header)].value = value
    for header in drop:
        sheet.delete_cols([c.value for c in sheet[1]].index(header) + 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_read_back_each_placement_keeps_its_own_length(solved, exported):
    c, chosen, result = solved
    back, problems = read_plan(c, exported, chosen)
    assert problems.ok and spans(back) == spans(result)
    # without 学期数 and 结束学期 a placement lasts as long as the need it fills, not the setting's 2 terms
    back, problems = read_plan(c, _edited(exported, {}, drop=("学期数", "结束学期")), chosen)
    assert problems.ok and spans(back) == spans(result)
    assert audit(c, chosen, back).ok


def test_audit_flags_a_one_term_teacher_kept_two_terms(solved, exported):
    c, chosen, _ = solved
    back, problems = read_plan(c, _edited(exported, {"T1": {"学期数": 2, "结束学期": SPRING}}), chosen)
    assert problems.ok
    report = audit(c, chosen, back)
    [v] = broken(report, "time_window")
    assert (v.teacher_ids, v.school_ids) == (("T1",), ("R1",))
    [line] = [line for line in audit_lines(c, report) if "时间窗口" in line]
    assert "T1" in line and "R1" in line and "2027春" in line


def test_audit_flags_a_length_the_need_does_not_ask_for():
    """Two terms on a school whose 音乐 need is for four-term placements: named with both lengths."""
    c = case(urban("U1"), rural("R1"), teacher("T1", "U1", "音乐"), need("R1", "音乐", FALL, LAST, terms=4))
    [v] = broken(check(c, plan(placed("T1", "R1", "音乐", FALL, 2))), "time_window")
    assert (v.teacher_ids, v.school_ids) == (("T1",), ("R1",))
    assert "4个学期" in v.text.zh and "2个学期" in v.text.zh
    assert not broken(check(c, plan(placed("T1", "R1", "音乐", FALL, 4))), "time_window")


# --- the workbook --------------------------------------------------------------------------

def test_the_need_sheet_writes_and_reads_its_length_and_form():
    c = two_kinds()
    buffer = io.BytesIO()
    write_case(c, buffer)
    loaded = read_files([("case.xlsx", buffer.getvalue())])
    assert loaded.ok, loaded.report.text("en")
    assert [(d.terms, d.form) for d in loaded.case.demands] == [(1, "支教"), (4, "定期交流")]
