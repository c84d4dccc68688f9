"""Level 1: each sending school rotates its quota of eligible teachers every school year, with
enough backbone teachers among them.

Soft by default (the top priority of the objective), so a plan always comes out and the
shortfall is reported school by school; hard when the planner sets 比例硬约束.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ..domain.enums import BackboneBase, BackboneCount, BackboneLevel, QuotaScope, Title
from ..domain.models import School, Teacher
from ..domain.settings import Settings
from ..domain.terms import Term, school_year_label
from .base import WEIGHT_SCALE, Explanation, Finding, Relaxation, Rule, Text, Violation

if TYPE_CHECKING:
    from ..plan import Plan
    from .builder_api import GreedyPlan, ModelBuilder, OptionLike
    from .context import Context
    from .presolve import PreSolve


@dataclass(frozen=True)
class QuotaUnit:
    """Where the quota and the backbone share are counted (比例范围): one sending school, a 学区 (its
    sending schools together) or a county (its sending schools together). Under 学区 a sending school
    without a 学区 is a unit of its own (`scope` SCHOOL)."""

    #: the school's id, or "学区:<name>" / "区县:<name>"
    key: str
    scope: QuotaScope
    #: the school's name, the district's or the county's
    label: str
    school_ids: tuple[str, ...]
    #: eligible teachers of the unit's sending schools together
    eligible: int

    def name(self, lang: str = "zh") -> str:
        """The unit as a message names it: 城关一小, 城关学区（学区）, 略阳县（区县）."""
        if self.scope is QuotaScope.SCHOOL:
            return self.label
        return f"{self.label}（{self.scope.zh}）" if lang == "zh" else f"{self.label} ({self.scope.en})"

    def members(self, ctx: Context, lang: str = "zh", most: int = 5) -> str:
        """The unit's sending schools, for a message ("" for a school): 城关一小、城关二小 等3所."""
        if self.scope is QuotaScope.SCHOOL:
            return ""
        names = [ctx.school_name(s) for s in self.school_ids]
        shown = ("、" if lang == "zh" else ", ").join(names[:most])
        if len(names) > most:
            shown += f" 等{len(names)}所" if lang == "zh" else f" and {len(names) - most} more"
        return shown


@dataclass(frozen=True)
class QuotaRow:
    """One unit (a sending school, a 学区 or a county) in one school year."""

    unit: QuotaUnit
    school_year: int
    required: int
    rotated: int
    backbone_rotated: int
    backbone_required: int

    @property
    def school_id(self) -> str:
        """The unit's key: the school's id under 比例范围 = 学校 (and for a school without a 学区)."""
        return self.unit.key

    @property
    def school_ids(self) -> tuple[str, ...]:
        return self.unit.school_ids

    @property
    def eligible(self) -> int:
        return self.unit.eligible

    def name(self, lang: str = "zh") -> str:
        return self.unit.name(lang)

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.rotated)

    @property
    def backbone_shortfall(self) -> int:
        return max(0, self.backbone_required - self.backbone_rotated)

    @property
    def met(self) -> bool:
        """The school-year meets its quota only with the backbone share too: the school story, the
        Plan page's table and the 派出学校汇总 sheet all read this, so they can never disagree."""
        return self.shortfall == 0 and self.backbone_shortfall == 0


def _unit_key(settings: Settings, school: School) -> tuple[str, QuotaScope, str]:
    scope = settings.quota_scope
    if scope is QuotaScope.DISTRICT and (school.district or "").strip():
        return f"学区:{school.district.strip()}", scope, school.district.strip()
    if scope is QuotaScope.COUNTY:
        return f"区县:{school.county}", scope, school.county
    return school.school_id, QuotaScope.SCHOOL, school.name


def quota_units(ctx: Context) -> list[QuotaUnit]:
    """The units the quota is counted in, in the order of their first sending school; only units with
    eligible teachers (a unit with none owes nothing)."""
    members: dict[tuple[str, QuotaScope, str], list[str]] = {}
    for school in ctx.sending_schools:
        members.setdefault(_unit_key(ctx.settings, school), []).append(school.school_id)
    units = []
    for (key, scope, label), school_ids in members.items():
        eligible = sum(ctx.eligible_by_school.get(s, 0) for s in school_ids)
        if eligible:
            units.append(QuotaUnit(key, scope, label, tuple(school_ids), eligible))
    return units


def unit_required(settings: Settings, eligible: int) -> int:
    """Rotations a unit owes each school year: the quota rate of its eligible teachers, rounded up."""
    # A tiny epsilon keeps 10 % of 30 at 3, not 4, despite floating point.
    return math.ceil(settings.quota_rate * eligible - 1e-9)


_TITLE_COUNTS = {BackboneCount.FULL_SENIOR: Title.FULL_SENIOR, BackboneCount.SENIOR: Title.SENIOR,
                 BackboneCount.FIRST: Title.FIRST}


def counts_as_backbone(settings: Settings, teacher: Teacher) -> bool:
    """The teacher counts for the backbone share (骨干认定): any listed item applies. 骨干 = the 骨干
    column; 名师 = a 骨干 value of 名师/特级教师/学科带头人/教学能手; a title = exactly that title."""
    for item in settings.backbone_counts:
        if item is BackboneCount.BACKBONE and teacher.backbone:
            return True
        if item is BackboneCount.MASTER and teacher.backbone_level is BackboneLevel.MASTER:
            return True
        if item in _TITLE_COUNTS and teacher.title is _TITLE_COUNTS[item]:
            return True
    return False


def backbone_fraction(settings: Settings) -> Fraction:
    """The backbone share as an exact fraction (0.2 → 1/5, 0.15 → 3/20): the model's integer row and
    the audit's count round the same way."""
    return Fraction(settings.backbone_share).limit_denominator(10_000)


def share_of(share: Fraction, count: int) -> int:
    """The share of `count` teachers, rounded up to whole teachers (15 % of 10 → 2)."""
    return -(-share.numerator * count // share.denominator)


def backbone_required(settings: Settings, required: int, rotated: int, eligible: int) -> int:
    """Backbone teachers owed by a unit in a school year, on the base the settings name (骨干比例基数):
    交流总数 = every teacher it rotates that year (the 2014 national text, the default), 应交流数 = the
    rotations its quota asks for, 符合条件数 = its eligible teachers.

    On 应交流数, rotations beyond the quota (sent to fill rural needs) do not raise it; on 交流总数 they
    do, so the top priority level may hold back extra teachers from a unit short of backbone staff.
    """
    base = {BackboneBase.ROTATED: rotated, BackboneBase.QUOTA: required,
            BackboneBase.ELIGIBLE: eligible}[settings.backbone_base]
    return share_of(backbone_fraction(settings), base)


def backbone_owed_before(settings: Settings, required: int, eligible: int) -> int:
    """What a unit owes before anything is placed beyond its quota (the rotated base taken at the quota):
    the greedy start and the pre-solve check aim at this."""
    return backbone_required(settings, required, required, eligible)


def quota_rows(ctx: Context, plan: Plan) -> list[QuotaRow]:
    """One row per unit (比例范围: sending school, 学区 or county) with eligible teachers and school year
    of the horizon."""
    units = quota_units(ctx)
    unit_of = {s: unit.key for unit in units for s in unit.school_ids}
    rotated: dict[tuple[str, int], list[bool]] = {}
    for p in plan.placements:
        if ctx.case.has_teacher(p.teacher_id):
            teacher = ctx.case.teacher(p.teacher_id)
            if teacher.school_id in unit_of:
                rotated.setdefault((unit_of[teacher.school_id], p.start.school_year), []).append(
                    counts_as_backbone(ctx.settings, teacher))
    rows = []
    for unit in units:
        required = unit_required(ctx.settings, unit.eligible)
        for year in ctx.school_years:
            flags = rotated.get((unit.key, year), [])
            rows.append(QuotaRow(unit, year, required, len(flags), sum(flags),
                                 backbone_required(ctx.settings, required, len(flags), unit.eligible)))
    return rows


def unit_options(model: ModelBuilder, unit: QuotaUnit, year: int) -> list[int]:
    """The options of the unit's sending schools starting in the school year."""
    return sorted(i for s in unit.school_ids for i in model.by_home_year.get((s, year), []))


def _unit_words(ctx: Context) -> Text:
    """学校 / 学区 / 区县 as the explanation counts units: school-years, district-years, county-years."""
    scope = ctx.settings.quota_scope
    return Text({QuotaScope.SCHOOL: "学校", QuotaScope.DISTRICT: "学区", QuotaScope.COUNTY: "区县"}[scope],
                {QuotaScope.SCHOOL: "school", QuotaScope.DISTRICT: "district", QuotaScope.COUNTY: "county"}[scope])


def _where(ctx: Context, unit: QuotaUnit, lang: str) -> str:
    """The unit's name and, for a 学区 or county, its sending schools: 城关学区（学区：城关一小、城关二小）."""
    members = unit.members(ctx, lang)
    if not members:
        return unit.name(lang)
    return (f"{unit.label}（{unit.scope.zh}：{members}）" if lang == "zh"
            else f"{unit.label} ({unit.scope.en}: {members})")


def missing_key(rule_id: str, unit: QuotaUnit, year: int) -> tuple[str, str, int]:
    """The name of the rule's missing count for the unit and school year (`ModelBuilder.cut`)."""
    return rule_id, unit.key, year


def _owed_drop(share: Fraction, required: int) -> Fraction:
    """The least α with ⌈share × (required − k)⌉ ≥ ⌈share × required⌉ − α·k for every k ≤ required:
    how fast what is owed can fall as the quota falls short."""
    owed = share_of(share, required)
    return max(Fraction(owed - share_of(share, required - k), k) for k in range(1, required + 1))


class _QuotaRule(Rule):
    modes = ("soft", "hard", "off")
    level = 1

    def default_mode(self, settings: Settings) -> str:
        return "hard" if settings.quota_hard else "soft"

    def _bound(self, model: ModelBuilder, indices: list[int], least: int, key: tuple[str, str, int] | None = None
               ) -> None:
        """At least `least` of these options: required when hard, a cost per missing one when soft
        (named `key`, for a cut)."""
        if model.mode(self) == "hard":
            model.at_least(self, indices, least)
        else:
            model.shortfall(self, indices, least, self.unit, key=key)

    def relaxation(self, settings: Settings) -> Relaxation | None:
        """The mode's relaxation, its words naming the scope when it is not the school (按学区 / 按区县)."""
        relaxation = super().relaxation(settings)
        if relaxation is None or settings.quota_scope is QuotaScope.SCHOOL:
            return relaxation
        scope = settings.quota_scope
        return Relaxation(self.id, Text(relaxation.text.zh.replace(f"“{self.zh}”", f"按{scope.zh}计算的“{self.zh}”"),
                                        relaxation.text.en.replace(self.en, f"{self.en} (counted per {scope.en})")),
                          relaxation.settings, relaxation.case)


class RotationQuota(_QuotaRule):
    id = "quota"
    zh, en = "交流比例", "rotation quota"
    zh_doc = "每所派出学校（或按比例范围：每个学区、每个区县）每学年交流人数不少于符合条件教师的规定比例（默认10%）"
    en_doc = ("each sending school (or, by the quota scope, each district or county) rotates at least the quota "
              "rate (10 %) of its eligible teachers each school year")
    settings_keys = ("quota_rate", "quota_hard", "min_years", "sending_localities", "quota_scope")
    unit = WEIGHT_SCALE  # one missing teacher; the backbone rule charges the same
    relax_rank = 10

    def build(self, model: ModelBuilder) -> None:
        ctx = model.ctx
        for unit in quota_units(ctx):
            required = unit_required(ctx.settings, unit.eligible)
            if required == 0:
                continue
            for year in ctx.school_years:
                self._bound(model, unit_options(model, unit, year), required, missing_key(self.id, unit, year))

    def seed(self, model: ModelBuilder, greedy: GreedyPlan) -> None:
        """Each unit's quota, school year by school year, backbone teachers first while the share is
        short (whatever the quota's mode: spreading the first rotations over the sending schools is how
        the greedy start has always begun)."""
        ctx = model.ctx
        for unit in quota_units(ctx):
            required = unit_required(ctx.settings, unit.eligible)
            owed = backbone_owed_before(ctx.settings, required, unit.eligible)
            for year in ctx.school_years:
                pool = greedy.ranked(i for i in unit_options(model, unit, year)
                                     if model.options[i].teacher not in greedy.held)
                rotated = backbone = 0
                for backbone_pass in (True, False):
                    for i in pool:
                        if rotated >= required:
                            break
                        is_backbone = counts_as_backbone(ctx.settings, model.teacher(model.options[i]))
                        if backbone_pass and (not is_backbone or backbone >= owed):
                            continue
                        if greedy.take([i]):
                            rotated += 1
                            backbone += is_backbone

    def diagnose(self, pre: PreSolve) -> list[Finding]:
        """Per unit (sending school, 学区 or county): can enough teachers reach a school with a matching
        need, and are there enough places for them each school year? Where both hold, the backbone
        share is checked."""
        ctx = pre.ctx
        hard = self.mode(ctx.settings) == "hard"
        stuck = pre.staying_home
        by_home: dict[str, list[OptionLike]] = defaultdict(list)
        for option in pre.options:
            if option.teacher not in stuck:
                by_home[ctx.case.teachers[option.teacher].school_id].append(option)
        years = len(ctx.school_years)
        rate = f"{ctx.settings.quota_rate:.0%}"
        # A hard rule that narrows the schools a teacher may go to (strict pairing) makes "linked" the word.
        strict = any(rule.filters and rule.mode(ctx.settings) == "hard"
                     and type(rule).school_scope is not Rule.school_scope for rule in pre.rules)
        where = Text("有对口需求的结对学校" if strict else "有对口需求的学校",
                     "a linked school with a matching need" if strict else "a school with a matching need")

        def relax(unit: QuotaUnit) -> Text:
            """The way out, for a school or for a 学区 / county (its schools)."""
            school = unit.scope is QuotaScope.SCHOOL
            here_zh = "该校" if school else f"该{unit.scope.zh}各校"
            here_en = "the school" if school else f"the {unit.scope.en}'s schools"
            subjects_en = "the school's subjects" if school else f"the subjects of the {unit.scope.en}'s schools"
            return Text(f"将结对模式改为“优先”、为{here_zh}增加结对学校或需求，或把交流比例设为软约束" if strict
                        else f"为{here_zh}教师所教学科增加需求，或把交流比例设为软约束",
                        f"set pairing to prefer, add links or needs for {here_en}, or make the quota soft" if strict
                        else f"add needs in {subjects_en}, or make the quota soft")

        backbone_rule = next((rule for rule in pre.rules if isinstance(rule, BackboneShare)), None)
        findings = []
        for unit in quota_units(ctx):
            required = unit_required(ctx.settings, unit.eligible)
            if required == 0:
                continue
            total = required * years
            options = [o for s in unit.school_ids for o in by_home.get(s, [])]
            reachable = {o.teacher for o in options}
            can = len(reachable)
            zh_name, en_name = _where(ctx, unit, "zh"), _where(ctx, unit, "en")
            if can < total:
                per_year_zh = f"每学年需交流{required}人" + (f"（{years}个学年共{total}人）" if years > 1 else "")
                per_year_en = f"{required} rotations a school year" + (
                    f" ({total} over {years} years)" if years > 1 else "")
                findings.append(Finding(self.id, hard, Text(
                    f"{zh_name}：按{rate}的比例，符合条件的{unit.eligible}名教师中{per_year_zh}，"
                    f"但只有{can}人能去到{where.zh}",
                    f"{en_name}: {rate} of {unit.eligible} eligible teachers means {per_year_en}, but only {can} of "
                    f"them can reach {where.en}"),
                    school_ids=unit.school_ids, relax=relax(unit)))
                continue
            # Enough teachers can go: are there enough places for them in each school year? (Each sending
            # school's places are a bound; their sum bounds the unit's.)
            places: dict[int, int] = defaultdict(int)
            for s in unit.school_ids:
                for year, n in _places(pre, s, by_home.get(s, [])).items():
                    places[year] += n
            short = sorted((year, places.get(year, 0)) for year in ctx.school_years if places.get(year, 0) < required)
            if short:
                year, n = short[0]
                findings.append(Finding(self.id, hard, Text(
                    f"{zh_name}：按{rate}的比例每学年需交流{required}人，但{school_year_label(year)}"
                    f"{where.zh}最多只能接收其{n}人（需求人数、接收容量与结对上限所限）",
                    f"{en_name}: {rate} means {required} rotations a school year, but in "
                    f"{school_year_label(year, 'en')} the {'linked ' if strict else ''}schools with a matching need "
                    f"can take at most {n} of its teachers (need counts, host capacity, link maxima)"),
                    school_ids=unit.school_ids, relax=relax(unit)))
                continue
            if backbone_rule is not None:
                findings += backbone_rule.diagnose_unit(pre, unit, required, reachable)
        pre.schools_short |= {s for f in findings if f.conflict and f.rule == self.id for s in f.school_ids}
        return findings

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        hard = self.mode(ctx.settings) == "hard"
        return [Violation(self.id, hard, Text(
            f"{_where(ctx, r.unit, 'zh')}{school_year_label(r.school_year)}应交流{r.required}人（符合条件{r.eligible}人），"
            f"实际{r.rotated}人，差{r.shortfall}人",
            f"{_where(ctx, r.unit, 'en')} must rotate {r.required} of {r.eligible} eligible in "
            f"{school_year_label(r.school_year, 'en')}, rotates {r.rotated}, {r.shortfall} short"),
            school_ids=r.school_ids, amount=r.shortfall) for r in quota_rows(ctx, plan) if r.shortfall]

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        rows = quota_rows(ctx, plan)
        met = sum(1 for r in rows if r.shortfall == 0)
        unit = _unit_words(ctx)
        return Explanation(self.id, Text(f"{len(rows)}个{unit.zh}学年中{met}个达到交流比例",
                                         f"{met} of {len(rows)} {unit.en}-years meet the quota"))


class BackboneShare(_QuotaRule):
    id = "backbone"
    zh, en = "骨干比例", "backbone share"
    zh_doc = ("交流教师中骨干教师不少于规定比例（默认20%；基数默认为交流总数，也可为应交流数或符合条件数；"
              "骨干认定可含名师与职称；与交流比例按同一比例范围计算）")
    en_doc = ("at least the backbone share (20 %) of the base (by default every teacher rotated; or the quota's "
              "rotations, or the eligible) are backbone teachers (who counts: 骨干, 名师, titles), counted in the "
              "quota's scope")
    settings_keys = ("backbone_share", "backbone_base", "backbone_counts", "quota_hard", "quota_scope")
    unit = WEIGHT_SCALE
    relax_rank = 20

    def build(self, model: ModelBuilder) -> None:
        ctx = model.ctx
        settings = ctx.settings
        share = backbone_fraction(settings)
        if share == 0:
            return
        for unit in quota_units(ctx):
            required = unit_required(settings, unit.eligible)
            for year in ctx.school_years:
                indices = unit_options(model, unit, year)
                counted = [i for i in indices if counts_as_backbone(settings, model.teacher(model.options[i]))]
                if settings.backbone_base is BackboneBase.ROTATED:
                    self._share_of_rotated(model, indices, set(counted), share, missing_key(self.id, unit, year))
                    self._rounding_cut(model, unit, year, required, counted, share)
                else:
                    owed = backbone_required(settings, required, 0, unit.eligible)
                    if owed:
                        self._bound(model, counted, owed)

    def _rounding_cut(self, model: ModelBuilder, unit: QuotaUnit, year: int, required: int, counted: list[int],
                      share: Fraction) -> None:
        """A unit that meets its quota of `required` rotates whole backbone teachers: at least
        owed = ⌈share × required⌉ of them, or missing ones. The row of `_share_of_rotated` alone lets the
        LP relaxation settle for share × required (0.6 of a teacher where three rotate), and on Datong
        in 优先 CP-SAT proved the plan in 24.6 s with this cut against about 42 s without it (benchmarks.run,
        quiet machine).

        Valid for every plan: backbone + missing ≥ ⌈share × rotated⌉ (the row, in whole numbers),
        rotated ≥ required − quota missing (the quota's row), so backbone + missing ≥ owed − α × quota
        missing, α = `_owed_drop`; written times α's denominator to keep it in whole numbers. A quota
        turned off bounds nothing, and where share × required is whole the row already says it."""
        mode = model.mode(RotationQuota)
        owed = share_of(share, required)
        if mode == "off" or owed == share * required:
            return
        alpha = _owed_drop(share, required)
        d = alpha.denominator
        missing = [(missing_key(self.id, unit, year), d)]
        if mode == "soft":
            missing.append((missing_key(RotationQuota.id, unit, year), alpha.numerator))
        model.cut(self, [(i, d) for i in counted], missing, d * owed)

    def _share_of_rotated(self, model: ModelBuilder, indices: list[int], counted: set[int], share: Fraction,
                          key: tuple[str, str, int]) -> None:
        """backbone ≥ ⌈share × rotated⌉, the number rotated a variable. For share p/q and whole numbers,
        backbone ≥ p·rotated/q already forces the rounding up (backbone is whole), so:

        hard: q·backbone ≥ p·rotated, one integer row (each backbone option counts p − q, every other p,
        at most 0), which the greedy plan obeys too;
        soft: a whole `missing` with q·missing ≥ p·rotated − q·backbone, i.e. missing = ⌈share × rotated⌉ −
        backbone when positive, one unit per missing teacher: exactly what the audit counts."""
        p, q = share.numerator, share.denominator
        if model.mode(self) == "hard":
            model.at_most(self, [(i, p - q if i in counted else p) for i in indices], 0)
        elif indices:
            model.shortfall_terms(self, [(i, q - p if i in counted else -p) for i in indices], 0, self.unit, per=q,
                                  key=key)

    def diagnose_unit(self, pre: PreSolve, unit: QuotaUnit, required: int, reachable: set[int]) -> list[Finding]:
        """Diagnosed with the quota (`RotationQuota.diagnose`), where the unit can meet its count:
        enough backbone teachers among those who can go?"""
        ctx = pre.ctx
        owed = backbone_owed_before(ctx.settings, required, unit.eligible)
        least = owed * len(ctx.school_years)
        backbone = sum(1 for t in reachable if counts_as_backbone(ctx.settings, ctx.case.teachers[t]))
        if backbone >= least:
            return []
        share = f"{ctx.settings.backbone_share:.0%}"
        return [Finding(self.id, self.mode(ctx.settings) == "hard", Text(
            f"{_where(ctx, unit, 'zh')}：交流教师中骨干应占{share}，需要{least}名骨干教师，"
            f"但只有{backbone}名骨干能去到有对口需求的结对学校",
            f"{_where(ctx, unit, 'en')}: a {share} backbone share needs {least} backbone teachers, but only "
            f"{backbone} can reach a linked school with a matching need"), school_ids=unit.school_ids,
            relax=Text("为骨干教师所教学科增加结对学校的需求，或把骨干比例设为软约束",
                       "add needs in the backbone teachers' subjects at linked schools, or make the backbone share soft"))]

    def audit(self, ctx: Context, plan: Plan) -> list[Violation]:
        hard = self.mode(ctx.settings) == "hard"
        rows = [r for r in quota_rows(ctx, plan) if r.backbone_shortfall]
        if not rows:
            return []
        going: dict[tuple[str, int], list[str]] = defaultdict(list)
        for p in plan.placements:
            if ctx.case.has_teacher(p.teacher_id):
                going[(ctx.case.teacher(p.teacher_id).school_id, p.start.school_year)].append(p.teacher_id)
        base = ctx.settings.backbone_base
        return [Violation(self.id, hard, Text(
            f"{_where(ctx, r.unit, 'zh')}{school_year_label(r.school_year)}交流{r.rotated}人中骨干{r.backbone_rotated}人，"
            f"按{base.zh}至少应有{r.backbone_required}人",
            f"{_where(ctx, r.unit, 'en')} rotates {r.rotated} in {school_year_label(r.school_year, 'en')}, "
            f"{r.backbone_rotated} backbone, needs {r.backbone_required} (on the {base.en} base)"),
            teacher_ids=tuple(t for s in r.school_ids for t in going.get((s, r.school_year), [])),
            school_ids=r.school_ids, amount=r.backbone_shortfall) for r in rows]

    def explain(self, ctx: Context, plan: Plan) -> Explanation:
        rows = [r for r in quota_rows(ctx, plan) if r.rotated]
        met = sum(1 for r in rows if r.backbone_shortfall == 0)
        rotated = sum(r.rotated for r in rows)
        backbone = sum(r.backbone_rotated for r in rows)
        unit = _unit_words(ctx)
        return Explanation(self.id, Text(
            f"交流{rotated}人中骨干{backbone}人；{len(rows)}个{unit.zh}学年中{met}个达到骨干比例",
            f"{backbone} of {rotated} rotated are backbone; {met} of {len(rows)} {unit.en}-years meet the share"))


def _places(pre: PreSolve, home: str, options: list[OptionLike]) -> dict[int, int]:
    """School year → an upper bound on the placements the options of sending school `home` can start in
    it: per receiving school, the need of each (subject, start) it offers, capped by every rule's
    `seat_limit` (host capacity, link maxima when hard), and never more than the teachers who can go.
    A bound, so a shortfall it shows is certain; a shared need (two schools, one post) is left to the solver."""
    ctx = pre.ctx
    # (subject, start, terms): each option covers its own terms (a one-term 支教 need, a four-term exchange)
    cells: dict[int, dict[str, set[tuple[str, int, int]]]] = defaultdict(lambda: defaultdict(set))
    teachers: dict[int, set[int]] = defaultdict(set)
    for o in options:
        year = Term.from_ordinal(o.start).school_year
        cells[year][o.school].add((o.subject, o.start, o.terms))
        teachers[year].add(o.teacher)
    places = {}
    for year, hosts in cells.items():
        total = 0
        for school_id, offered in hosts.items():
            seats = sum(min(ctx.need.get((school_id, subject, t), 0) for t in range(start, start + terms))
                        for subject, start, terms in offered)
            total += pre.seats(home, school_id, len({start for _, start, _ in offered}), seats)
        places[year] = min(total, len(teachers[year]))
    return places
