"""The plan and its companions as JSON records, and back: a `plan.Plan` (placements, levels,
parts), a `workbook.report.Report`, the audit's findings, `domain.models.Pin`s. The types are the
project's own; only the layout for a JSON column is decided here."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ..audit import AuditReport
from ..domain.models import Case, Pin
from ..domain.terms import Term
from ..export.audit_text import violation_text
from ..plan import Placement, Plan
from ..plan.placement import LevelResult, PartResult
from ..workbook.report import Problem, Report

FORMAT = "teacher-exchange-plan/1"


def plan_record(plan: Plan) -> dict[str, Any]:
    """The plan: placements as [teacher, school, subject, start term, terms] rows (a 40k-teacher
    case's plan stays a few hundred kB), levels and parts as their dataclass fields."""
    return {
        "format": FORMAT,
        "status": plan.status,
        "ended": plan.ended,
        "placements": [[p.teacher_id, p.school_id, p.subject, p.start.label("en"), p.terms] for p in plan.placements],
        "levels": [dataclasses.asdict(level) for level in plan.levels],
        "parts": [dataclasses.asdict(part) for part in plan.parts],
        "times": dict(plan.times),
        "stats": {key: value for key, value in plan.stats.items()
                  if isinstance(value, (int, float, str, bool)) or _plain_list(value)},
    }


def _plain_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, (int, float, str, bool)) for item in value)


def plan_of(record: dict[str, Any]) -> Plan:
    """The plan a `plan_record` was made from."""
    terms: dict[str, Term] = {}

    def term(label: str) -> Term:
        if label not in terms:
            terms[label] = Term.parse(label)
        return terms[label]

    return Plan(
        placements=[Placement(teacher_id=t, school_id=s, subject=subject, start=term(start), terms=n)
                    for t, s, subject, start, n in record["placements"]],
        status=record["status"],
        levels=[LevelResult(**level) for level in record["levels"]],
        times=dict(record.get("times") or {}),
        stats=dict(record.get("stats") or {}),
        parts=[PartResult(**part) for part in record["parts"]],
        ended=record.get("ended"),
    )


def placement_record(placement: Placement | None) -> dict[str, Any] | None:
    """One side of a hand edit, as WORKBOOK.md's `changes` write it."""
    if placement is None:
        return None
    return {"school_id": placement.school_id, "subject": placement.subject,
            "start_term": placement.start.label("en"), "terms": placement.terms}


def report_record(report: Report) -> list[dict[str, Any]]:
    """Each problem's fields; a parameter JSON has no type for (a date, a set) is kept as its text."""
    return json.loads(json.dumps([dataclasses.asdict(problem) for problem in report.problems], default=str,
                                 ensure_ascii=False))


def report_of(record: list[dict[str, Any]]) -> Report:
    report = Report()
    report.problems.extend(Problem(**problem) for problem in record)
    return report


def findings_record(case: Case, report: AuditReport) -> dict[str, Any]:
    """The audit: each broken rule and shortfall with who and where, worded in both languages."""
    return {"ok": report.ok, "summary": {"zh": report.summary("zh"), "en": report.summary("en")},
            "violations": [{"rule": v.rule, "hard": v.hard, "zh": violation_text(case, v, "zh"),
                            "en": violation_text(case, v, "en"), "teacher_ids": list(v.teacher_ids),
                            "school_ids": list(v.school_ids), "amount": v.amount} for v in report.violations]}


def pins_record(pins: list[Pin]) -> list[dict[str, Any]]:
    return [pin.model_dump(mode="json") for pin in pins]


def pins_of(record: list[dict[str, Any]]) -> list[Pin]:
    return [Pin.model_validate(pin) for pin in record]
