"""The headline figures of a plan: what the command line prints, the JSON summary leads with
and the UI shows as metrics. Plain counts from the plan and the case, no solver."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from ..rules.context import Context
from ..domain.models import Case
from ..domain.settings import Settings
from ..domain.subjects import ARTS, SUBJECTS, subject_label
from ..plan import Plan
from ..rules.capacity import pair_year_counts
from ..rules.need import NeedRow, need_rows
from ..rules.quota import QuotaRow, counts_as_backbone, quota_rows


#: Plan.status → (Chinese, English), as planners read it
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "optimal": ("最优（已证明）", "optimal (proven)"),
    "feasible": ("可行（未证明最优）", "feasible (not proven optimal)"),
    "greedy": ("初始方案（求解器未改进）", "greedy start plan (not improved by the solver)"),
    "infeasible": ("无可行方案", "infeasible"),
    "unknown": ("未得出方案", "no plan found"),
    "edited": ("手工编辑", "edited by hand"),
}


def status_label(status: str, lang: str = "zh") -> str:
    labels = STATUS_LABELS.get(status)
    return labels[0 if lang == "zh" else 1] if labels else status


#: music, PE, art, in the order planners name them
ARTS_ORDER = tuple(s.zh for s in SUBJECTS if s.zh in ARTS)


#: 比例范围 → the units the quota line counts: zh plural, zh counter, zh unit, en plural, en unit
_UNITS = {"school": ("派出学校", "所", "学校", "sending schools", "school"),
          "district": ("学区", "个", "学区", "districts", "district"),
          "county": ("区县", "个", "区县", "counties", "county")}


@dataclass(frozen=True)
class Headline:
    placements: int
    backbone_placed: int
    #: sending schools (with eligible teachers) meeting the quota in every school year, of all of them;
    #: districts or counties when the quota is counted so (`quota_scope`)
    schools_meeting_quota: int
    sending_schools: int
    #: the same per school year, and the teachers missing in all
    school_years_meeting_quota: int
    school_years: int
    quota_shortfall: int
    backbone_shortfall: int
    #: teacher-terms: needed and filled, overall and for music, PE and art
    need_total: int
    need_filled: int
    arts_need: int
    arts_filled: int
    #: subject → (needed, filled) teacher-terms, for each of music, PE and art
    arts_by_subject: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: link-years reaching their min_per_year, of the link-years that have one
    link_years_alive: int = 0
    link_years: int = 0
    #: links along which at least one teacher goes, of all links
    links_used: int = 0
    links: int = 0
    #: 比例范围: "school", "district" or "county", the units `sending_schools` counts
    quota_scope: str = "school"

    @property
    def backbone_share(self) -> float:
        return self.backbone_placed / self.placements if self.placements else 0.0

    @property
    def need_share(self) -> float:
        return self.need_filled / self.need_total if self.need_total else 1.0

    @property
    def arts_share(self) -> float:
        return self.arts_filled / self.arts_need if self.arts_need else 1.0

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["arts_by_subject"] = {s: {"need": n, "filled": f} for s, (n, f) in self.arts_by_subject.items()}
        data.update(backbone_share=round(self.backbone_share, 4), need_share=round(self.need_share, 4),
                    arts_share=round(self.arts_share, 4))
        return data

    def lines(self, lang: str = "zh") -> list[str]:
        """The figures as sentences, for the command line and the workbook's overview."""
        arts = [(subject_label(s, lang), n, f) for s, (n, f) in self.arts_by_subject.items()]
        units_zh, counter, unit_zh, units_en, unit_en = _UNITS[self.quota_scope]
        if lang == "zh":
            return [
                f"派出 {self.placements} 人，其中骨干 {self.backbone_placed} 人（{self.backbone_share:.0%}）",
                f"交流比例：{units_zh} {self.sending_schools} {counter}中 {self.schools_meeting_quota} {counter}每学年均达标；"
                f"{self.school_years} 个{unit_zh}学年中 {self.school_years_meeting_quota} 个达标，共缺 {self.quota_shortfall} 人，"
                f"骨干缺 {self.backbone_shortfall} 人",
                f"需求满足：{self.need_filled}/{self.need_total} 人·学期（{self.need_share:.0%}）；"
                f"音体美 {self.arts_filled}/{self.arts_need}（{self.arts_share:.0%}）"
                + "".join(f"，{name} {f}/{n}" for name, n, f in arts),
                f"结对保持：{self.link_years} 个结对学年中 {self.link_years_alive} 个达到最少派出；"
                f"{self.links} 条结对中 {self.links_used} 条有教师派出",
            ]
        return [
            f"{self.placements} placed, {self.backbone_placed} of them backbone ({self.backbone_share:.0%})",
            f"quota: {self.schools_meeting_quota} of {self.sending_schools} {units_en} meet it every school year; "
            f"{self.school_years_meeting_quota} of {self.school_years} {unit_en}-years, {self.quota_shortfall} teacher(s) "
            f"short, backbone {self.backbone_shortfall} short",
            f"need filled: {self.need_filled} of {self.need_total} teacher-terms ({self.need_share:.0%}); "
            f"music/PE/art {self.arts_filled} of {self.arts_need} ({self.arts_share:.0%})"
            + "".join(f", {name} {f}/{n}" for name, n, f in arts),
            f"links: {self.link_years_alive} of {self.link_years} link-years reach their minimum; "
            f"{self.links_used} of {self.links} links send someone",
        ]


def headline(case: Case, settings: Settings | None, plan: Plan, ctx: Context | None = None, *,
             quota: list[QuotaRow] | None = None, need: list[NeedRow] | None = None) -> Headline:
    """`quota` and `need`: the plan's `quota_rows` and `need_rows` when the caller has them already."""
    ctx = ctx if ctx is not None else Context(case, settings)
    quota = quota if quota is not None else quota_rows(ctx, plan)
    by_school: dict[str, bool] = {}  # per unit of the quota (比例范围): school, 学区 or county
    for row in quota:
        by_school[row.school_id] = by_school.get(row.school_id, True) and row.shortfall == 0
    need = need if need is not None else need_rows(ctx, plan)
    arts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in need:
        if row.subject in ARTS:
            arts[row.subject][0] += row.need
            arts[row.subject][1] += row.filled
    counts = pair_year_counts(ctx, plan)
    link_years = alive = 0
    for link in case.links:
        pair = frozenset((link.lead_school_id, link.member_school_id))
        if link.min_per_year:
            for year in ctx.school_years:
                link_years += 1
                alive += len(counts.get((pair, year), [])) >= link.min_per_year
    used_pairs = {pair for (pair, _), teachers in counts.items() if teachers}
    links_used = sum(frozenset((link.lead_school_id, link.member_school_id)) in used_pairs for link in case.links)
    placed = [case.teacher(p.teacher_id) for p in plan.placements if case.has_teacher(p.teacher_id)]
    return Headline(
        placements=len(plan.placements),
        backbone_placed=sum(counts_as_backbone(ctx.settings, t) for t in placed),  # 骨干认定
        schools_meeting_quota=sum(by_school.values()),
        sending_schools=len(by_school),
        school_years_meeting_quota=sum(r.shortfall == 0 for r in quota),
        school_years=len(quota),
        quota_shortfall=sum(r.shortfall for r in quota),
        backbone_shortfall=sum(r.backbone_shortfall for r in quota),
        need_total=sum(r.need for r in need),
        need_filled=sum(r.filled for r in need),
        arts_need=sum(n for n, _ in arts.values()),
        arts_filled=sum(f for _, f in arts.values()),
        arts_by_subject={s: (arts[s][0], arts[s][1]) for s in ARTS_ORDER},
        link_years_alive=alive,
        link_years=link_years,
        links_used=links_used,
        quota_scope=ctx.settings.quota_scope.value,
        links=len(case.links),
    )

