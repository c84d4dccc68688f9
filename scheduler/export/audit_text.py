"""Audit findings as lines that always name the teacher.

A filter rule's reason names what it checks ("略阳县第一中学与X小学没有结对关系"); read on
its own, in a list of findings about a hand-edited plan, it must also say whose placement it
is. The teacher is put in front whenever the reason does not already name them.
"""

from __future__ import annotations

from ..audit import AuditReport
from ..domain.models import Case
from ..rules import RULE_BY_ID, Violation


def violation_text(case: Case, violation: Violation, lang: str = "zh") -> str:
    text = violation.text.get(lang)
    missing = [t for t in violation.teacher_ids if case.has_teacher(t) and case.teacher(t).name not in text]
    if not missing or len(missing) > 3:  # long lists (a whole team, a crowded need) are named by the text
        return text
    names = ("、" if lang == "zh" else ", ").join(
        f"{case.teacher(t).name}（{t}）" if lang == "zh" else f"{case.teacher(t).name} ({t})" for t in missing)
    return f"{names}：{text}" if lang == "zh" else f"{names}: {text}"


def audit_lines(case: Case, report: AuditReport, lang: str = "zh") -> list[str]:
    """Like `AuditReport.lines`, hard rules first, each naming its teachers."""
    lines = []
    for violation in sorted(report.violations, key=lambda v: (not v.hard, v.rule)):
        label = ("违反" if violation.hard else "未达到") if lang == "zh" else ("broken" if violation.hard else "short")
        lines.append(f"[{label}] {RULE_BY_ID[violation.rule].name(lang)}: {violation_text(case, violation, lang)}")
    return lines
