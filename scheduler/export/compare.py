"""Plan versions side by side: how a bureau argues 10 % against 12 %.

Given two or more plans of one case, each with the settings it was made with and its headline
figures (as a stored version keeps them), the comparison holds four tables, one column per plan:
the headline figures, the teachers placed differently, the schools whose quota or need figures
differ, and the settings that differ. Each table is written in the planner's words (zh/en) for
the Compare page, the command line and a workbook (`write_comparison`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Sequence

from ..domain.models import Case
from ..domain.settings import Settings, setting_info, setting_names, value_text
from ..plan import Placement, Plan
from ..rules import RULES
from ..rules.context import Context
from ..rules.need import need_rows
from ..rules.quota import quota_rows
from ..workbook.xlsx import open_workbook
from .personal_data import masked, write_table
from .sheets import MODE_LABEL

#: the workbook's sheets, (Chinese, English); the first names a comparison workbook (safe_paths)
SHEETS = {"figures": ("方案比较", "comparison"), "teachers": ("安排不同的教师", "teachers_differ"),
          "schools": ("指标不同的学校", "schools_differ"), "settings": ("设置不同", "settings_differ")}

#: headline figure → (Chinese, English), with the key of its "of" total when it has one
FIGURES: tuple[tuple[str, str, str, str | None], ...] = (
    ("placements", "派出人数", "placed", None),
    ("backbone_placed", "其中骨干", "of them backbone", "placements"),
    ("schools_meeting_quota", "交流比例达标单位", "units meeting the quota", "sending_schools"),
    ("quota_shortfall", "交流比例缺口（人）", "quota shortfall (teachers)", None),
    ("backbone_shortfall", "骨干比例缺口（人）", "backbone shortfall (teachers)", None),
    ("need_filled", "需求满足（人·学期）", "need filled (teacher-terms)", "need_total"),
    ("arts_filled", "音体美需求满足（人·学期）", "music/PE/art filled (teacher-terms)", "arts_need"),
    ("link_years_alive", "结对保持（结对学年）", "links kept (link-years)", "link_years"),
    ("links_used", "有教师派出的结对", "links sending someone", "links"),
)


@dataclass(frozen=True)
class Compared:
    """One plan to compare: its label (e.g. "#3 12%"), the plan, the settings it was made with,
    its headline figures (`Headline.as_dict()`, as a stored version keeps them) and the files
    it was solved from (plans of different files are compared, with a warning)."""

    label: str
    plan: Plan
    settings: Settings
    headline: dict[str, Any]
    files: tuple[int, ...] = ()


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Comparison:
    labels: list[str]
    #: (figure key, its value per plan, its total per plan or None)
    figures: list[tuple[str, list[int], list[int] | None]]
    #: (teacher id, name, home school, the placement per plan or None)
    teachers: list[tuple[str, str, str, list[Placement | None]]]
    #: (unit or school, "quota" / "need", (done, owed) per plan or None when the plan has no such row)
    schools: list[tuple[str, str, list[tuple[int, int] | None]]]
    #: (setting key or rule:<id>, its value per plan as written in the settings sheet, by language)
    settings: list[tuple[str, dict[str, tuple[str, list[str]]]]]
    same_files: bool = True
    case: Case | None = field(default=None, repr=False, compare=False)

    def figures_table(self, lang: str = "zh") -> Table:
        names = {key: (zh, en) for key, zh, en, _ in FIGURES}
        rows = []
        for key, values, totals in self.figures:
            shown = [f"{v}/{t}" if totals is not None else v for v, t in zip(values, totals or [None] * len(values))]
            rows.append([names[key][lang != "zh"], *shown])
        return Table(["指标" if lang == "zh" else "figure", *self.labels], rows)

    def shares(self, lang: str = "zh") -> list[tuple[str, str, float]]:
        """(figure, plan, share 0..1) of each figure that is a share of a total: the grouped bar chart."""
        names = {key: (zh, en) for key, zh, en, _ in FIGURES}
        result = []
        for key, values, totals in self.figures:
            if totals is None:
                continue
            for label, value, total in zip(self.labels, values, totals):
                result.append((names[key][lang != "zh"], label, value / total if total else 1.0))
        return result

    def teachers_table(self, lang: str = "zh") -> Table:
        zh = lang == "zh"
        rows = [[teacher_id, name, school, *(_placement_text(p, self.case, lang) for p in placements)]
                for teacher_id, name, school, placements in self.teachers]
        return Table(["教师编号", "姓名", "所在学校"] + self.labels if zh else
                     ["teacher id", "name", "school"] + self.labels, masked(rows))

    def schools_table(self, lang: str = "zh") -> Table:
        zh = lang == "zh"
        kinds = {"quota": ("交流人数/应交流", "rotated / quota"), "need": ("需求满足/需求（人·学期）", "need filled / need")}
        rows = [[unit, kinds[kind][not zh], *("—" if v is None else f"{v[0]}/{v[1]}" for v in values)]
                for unit, kind, values in self.schools]
        return Table(["学校", "指标"] + self.labels if zh else ["school", "figure"] + self.labels, rows)

    def settings_table(self, lang: str = "zh") -> Table:
        zh = lang == "zh"
        rows = [[by_lang[lang][0], key, *by_lang[lang][1]] for key, by_lang in self.settings]
        return Table(["参数", "key"] + self.labels if zh else ["setting", "key"] + self.labels, rows)

    def tables(self, lang: str = "zh") -> dict[str, Table]:
        return {"figures": self.figures_table(lang), "teachers": self.teachers_table(lang),
                "schools": self.schools_table(lang), "settings": self.settings_table(lang)}

    def lines(self, lang: str = "zh") -> list[str]:
        """The comparison as text for the command line: every table, its cells separated by " | "."""
        zh = lang == "zh"
        lines = []
        if not self.same_files:
            lines.append(_DIFFERENT_FILES[0 if zh else 1])
        titles = {"figures": ("概况", "figures"), "teachers": (f"安排不同的教师：{len(self.teachers)} 名",
                                                             f"teachers placed differently: {len(self.teachers)}"),
                  "schools": (f"指标不同的学校：{len(self.schools)} 项", f"schools whose figures differ: {len(self.schools)}"),
                  "settings": (f"设置不同：{len(self.settings)} 项", f"settings that differ: {len(self.settings)}")}
        for name, table in self.tables(lang).items():
            lines.append(titles[name][not zh])
            lines.extend("  " + " | ".join(str(c) for c in row) for row in [table.headers, *table.rows])
        return lines


_DIFFERENT_FILES = ("注意：所比较的方案并非由同一批文件求解；人员与学校名称取自第一个方案的数据",
                    "note: the plans were not solved from the same files; names are those of the first plan's data")


def _placement_text(placement: Placement | None, case: Case | None, lang: str) -> str:
    if placement is None:
        return "—（未派出）" if lang == "zh" else "— (stays)"
    school = case.school(placement.school_id).name if case is not None and case.has_school(placement.school_id) \
        else placement.school_id
    return f"{school} {placement.start.label(lang)}–{placement.end.label(lang)}"


def _key(placement: Placement | None) -> tuple | None:
    return None if placement is None else (placement.school_id, placement.subject, placement.start, placement.terms)


def compare(case: Case, plans: Sequence[Compared]) -> Comparison:
    """Plans of `case` side by side (names of teachers and schools come from `case`)."""
    if len(plans) < 2:
        raise ValueError("a comparison needs two plans or more")
    figures = []
    for key, _, _, total in FIGURES:
        values = [int(p.headline.get(key, 0)) for p in plans]
        totals = None if total is None else [int(p.headline.get(total, 0)) for p in plans]
        figures.append((key, values, totals))

    by_teacher = [p.plan.by_teacher() for p in plans]
    teachers = []
    for teacher_id in sorted(set().union(*by_teacher)):
        placements = [placed.get(teacher_id) for placed in by_teacher]
        if len({_key(p) for p in placements}) == 1:
            continue
        if case.has_teacher(teacher_id):
            teacher = case.teacher(teacher_id)
            home = case.school(teacher.school_id).name if case.has_school(teacher.school_id) else teacher.school_id
            teachers.append((teacher_id, teacher.name, home, placements))
        else:
            teachers.append((teacher_id, "", "", placements))
    teachers.sort(key=lambda row: (row[2], row[0]))

    quota: list[dict[str, tuple[str, tuple[int, int]]]] = []
    need: list[dict[str, tuple[int, int]]] = []
    for compared in plans:
        ctx = Context(case, compared.settings)
        units: dict[str, tuple[str, list[int]]] = {}
        for row in quota_rows(ctx, compared.plan):
            name, sums = units.setdefault(row.unit.key, (row.unit.name("zh"), [0, 0]))
            sums[0] += row.rotated
            sums[1] += row.required
        quota.append({key: (name, (sums[0], sums[1])) for key, (name, sums) in units.items()})
        filled: dict[str, list[int]] = {}
        for row in need_rows(ctx, compared.plan):
            sums = filled.setdefault(row.school_id, [0, 0])
            sums[0] += row.filled
            sums[1] += row.need
        need.append({school: (done, owed) for school, (done, owed) in filled.items()})
    schools = []
    names = {key: name for per_plan in quota for key, (name, _) in per_plan.items()}
    for key in sorted(names, key=lambda k: names[k]):
        values = [per_plan[key][1] if key in per_plan else None for per_plan in quota]
        if len(set(values)) > 1:
            schools.append((names[key], "quota", values))
    for school_id in sorted(set().union(*need), key=lambda s: (case.school(s).name if case.has_school(s) else s)):
        values = [per_plan.get(school_id) for per_plan in need]
        if len(set(values)) > 1:
            schools.append((case.school(school_id).name if case.has_school(school_id) else school_id, "need", values))

    settings = []
    for name in setting_names():
        values = [getattr(p.settings, name) for p in plans]
        if len(set(map(repr, values))) > 1:
            info = setting_info(name)
            settings.append((name, {"zh": (info["zh_key"], [value_text(v, "zh") for v in values]),
                                    "en": (info["en"], [value_text(v, "en") for v in values])}))
    for rule in RULES:
        modes = [rule.mode(p.settings) for p in plans]
        if len(set(modes)) > 1:
            settings.append((f"rule:{rule.id}", {"zh": (f"规则:{rule.zh}", [MODE_LABEL[m][0] for m in modes]),
                                                 "en": (f"rule: {rule.en}", [MODE_LABEL[m][1] for m in modes])}))
    same_files = len({tuple(sorted(p.files)) for p in plans}) == 1
    return Comparison([p.label for p in plans], figures, teachers, schools, settings, same_files, case)


def write_comparison(comparison: Comparison, target: str | Path | IO[bytes], lang: str = "zh") -> None:
    """The comparison as a workbook: one sheet per table (ID numbers masked, text never a formula)."""
    workbook = open_workbook(target)
    for name, table in comparison.tables(lang).items():
        notes = None
        if name == "figures" and not comparison.same_files:
            notes = [_DIFFERENT_FILES[lang != "zh"]] + [""] * (len(table.headers) - 1)
        write_table(workbook, SHEETS[name][lang != "zh"], table.headers, table.rows, notes=notes, lang=lang)
    workbook.close()
