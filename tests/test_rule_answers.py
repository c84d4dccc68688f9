"""A filter rule's quick yes/no (`allows_school`, `allows_start`, `blocks`) says the same as its reason
(`why_not_*`), on every school, subject and start a teacher of a real sample could be asked about.

The option enumeration and the soft charge (结对模式 = 优先) use the quick answers; the audit, the
unplaced sheet and 为什么没有安排 use the reasons. Were they to disagree, the plan would place a
teacher where the audit then objects, or charge a link that is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.domain import settings_from
from scheduler.rules import RULES
from scheduler.rules.context import Context
from scheduler.workbook import read_paths

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
FILTERS = [rule for rule in RULES if rule.filters]


@pytest.fixture(scope="module")
def datong() -> Context:
    loaded = read_paths([SAMPLES / "datong_city.xlsx"])
    assert loaded.ok, loaded.report
    return Context(loaded.case, settings_from(loaded.case.settings, pairing_mode="prefer"))


def questions(ctx: Context):
    """Every 100th teacher with every school and subject, at every start for 1 and 2 terms: most are
    refused by some rule (other stage, no link, no need, outside the horizon), some allowed."""
    starts = sorted(ctx.starts)
    for teacher in ctx.case.teachers[::100]:
        for school in ctx.case.schools:
            for subject in {*teacher.subjects, "音乐", "数学"}:
                for start in (starts[0] - 1, *starts):
                    for terms in (1, 2):
                        yield teacher, school.school_id, subject, start, terms


@pytest.mark.parametrize("rule", FILTERS, ids=lambda rule: rule.id)
def test_the_quick_answers_agree_with_the_reasons(datong, rule):
    asked = allowed = 0
    for teacher, school, subject, start, terms in questions(datong):
        asked += 1
        school_ok = rule.why_not_school(datong, teacher, school) is None
        assert rule.allows_school(datong, teacher, school) == school_ok, (teacher.name, school)
        start_ok = rule.why_not_start(datong, teacher, school, subject, start, terms) is None
        assert rule.allows_start(datong, teacher, school, subject, start, terms) == start_ok, \
            (teacher.name, school, subject, start, terms)
        reason = rule.why_not(datong, teacher, school, subject, start, terms)
        assert rule.blocks(datong, teacher, school, subject, start, terms) == (reason is not None)
        allowed += reason is None
    assert allowed > 0
    if rule.id in ("pairing", "stage_fit", "time_window", "subject_fit", "eligibility"):
        assert allowed < asked  # the questions reach both answers of the rules that refuse here


def test_the_rules_with_quick_answers_are_asked(datong):
    """The enumeration asks only the rules that have something to say about schools or starts;
    these three do, and a rule that says nothing about either is skipped."""
    asks = {rule.id: (rule.asks("school"), rule.asks("start")) for rule in FILTERS}
    assert asks["pairing"] == (True, False)
    assert asks["stage_fit"] == (True, False)
    assert asks["time_window"] == (False, True)
    assert asks["eligibility"] == (False, False)
