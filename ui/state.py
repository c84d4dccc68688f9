"""The planner's canonical state, kept in one object in `st.session_state`, outside widget keys,
so switching pages or languages loses nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from scheduler.domain.models import Case, Pin
from scheduler.domain.settings import DEFAULTS, Settings, settings_with
from scheduler.plan import Plan
from scheduler.workbook import Loaded, read_files

from .solve_job import SolveJob

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
DEFAULT_SAMPLE = "lueyang_county.xlsx"
#: what the bundled samples are, for the sample picker
SAMPLE_TITLES = {
    "lueyang_county.xlsx": ("略阳县：深度贫困县，1+X联合体（1452名教师）", "Lüeyang-like county, 1+X consortia (1,452 teachers)"),
    "tianjin_pairing.xlsx": ("天津手拉手：跨地区结对、组团派出（2670名教师）",
                             "Tianjin-style 手拉手 pairing, team dispatch (2,670 teachers)"),
    "datong_city.xlsx": ("大同市：城区与六个贫困县（5589名教师）", "Datong-like city and six poor counties (5,589 teachers)"),
    "registry_county.xlsx": ("青岭县：教师管理信息系统导出的花名册格式（1142名教师）",
                             "Qingling (fictitious) county, a roster as the registry exports it (1,142 teachers)"),
    "pucheng_county.xlsx": ("蒲城县：交流比例15%，名师、高级、一级占交流人数30%，年龄上限，两年交流期（1560名教师）",
                            "Pucheng-like county: 15 %, 30 % of those rotated by title, age caps, two-year stints "
                            "(1,560 teachers)"),
    "hefei_city.xlsx": ("合肥市：按学区统筹10%的交流比例，兼有一学期支教（2434名教师）",
                        "Hefei-like city: the 10 % counted per school district, with one-term 支教 (2,434 teachers)"),
    "lueyang_year2.xlsx": ("略阳县第二学年：上年方案为交流记录，交流间隔3年（1408名教师）",
                           "Lüeyang-like county, second school year: last year's plan as history, 3 rest years "
                           "(1,408 teachers)"),
}


def sample_title(name: str, lang: str = "zh") -> str:
    titles = SAMPLE_TITLES.get(name)
    return titles[0 if lang == "zh" else 1] if titles else name


@dataclass
class Planner:
    source: str
    loaded: Loaded
    #: settings changed in the UI (English key or rule:<id> → typed value, as the widgets and the
    #: rules file's parsed entries give them), on top of the workbook's parsed 设置 sheet
    overrides: dict[str, Any] = field(default_factory=dict)
    #: the pins as edited on the Rules page; None = the workbook's pins
    pins: list[Pin] | None = None
    job: SolveJob | None = None
    plan: Plan | None = None
    plan_settings: Settings | None = None
    solved_plan: Plan | None = None  # the solver's plan, kept when a hand edit replaces `plan`
    #: bumped whenever `plan` changes, so the edit table starts afresh from the new plan
    plan_version: int = 0

    #: the solver's plan before the current one, with its settings, to show what a change did
    previous: tuple[Plan, Settings] | None = None

    def set_plan(self, plan: Plan, settings: Settings | None = None) -> None:
        if settings is not None:
            if self.solved_plan is not None and self.plan_settings is not None:
                self.previous = (self.solved_plan, self.plan_settings)
            self.solved_plan, self.plan_settings = plan, settings
        self.plan = plan
        self.plan_version += 1

    @property
    def case(self) -> Case | None:
        case = self.loaded.case
        if case is None or self.pins is None:
            return case
        return case.model_copy(update={"pins": self.pins})

    def settings(self) -> Settings:
        """The settings everything on the pages uses: the workbook's, parsed once when it was read,
        with the planner's changes on top (on the defaults when the two clash, e.g. a horizon)."""
        try:
            return settings_with(self.loaded.settings or DEFAULTS, self.overrides)
        except ValueError:
            return settings_with(DEFAULTS, self.overrides)

    #: True while the data is a bundled sample (shown by its title), False after an upload
    is_sample: bool = True

    #: bumped whenever the data is replaced, so the uploader and the sample picker start afresh
    data_version: int = 0

    #: the files as uploaded (name, bytes), so a column mapping can read them again
    files: tuple[tuple[str, bytes], ...] = ()
    #: the column mapping (sheet key → {field key: header in the planner's files}) applied to every
    #: upload, set on the Data page or by a rules file, and saved with the rules
    columns: dict[str, dict[str, str]] = field(default_factory=dict)

    def replace_data(self, source: str, loaded: Loaded, is_sample: bool = False,
                     files: tuple[tuple[str, bytes], ...] = ()) -> None:
        self.source, self.loaded, self.is_sample, self.files = source, loaded, is_sample, files
        self.data_version += 1
        self.pins, self.plan, self.solved_plan, self.plan_settings, self.previous = None, None, None, None, None
        if self.job is not None:
            self.job.stop()
            self.job = None


@st.cache_resource(max_entries=8, show_spinner=False)
def _read(files: tuple[tuple[str, bytes], ...], columns: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> Loaded:
    mapping = {sheet: dict(fields) for sheet, fields in columns}
    return read_files(list(files), columns=mapping or None)


def read_cached(files: tuple[tuple[str, bytes], ...], columns: dict[str, dict[str, str]] | None = None) -> Loaded:
    """Reading is cached on the uploaded bytes and the column mapping: reruns and page switches
    never parse twice."""
    frozen = tuple(sorted((sheet, tuple(sorted(fields.items()))) for sheet, fields in (columns or {}).items() if fields))
    return _read(files, frozen)


def sample_names() -> list[str]:
    return sorted(p.name for p in SAMPLES.glob("*.xlsx"))


def load_sample(name: str) -> Loaded:
    path = SAMPLES / name
    return read_cached(((path.name, path.read_bytes()),))


def planner() -> Planner:
    if "planner" not in st.session_state:
        st.session_state["planner"] = Planner(DEFAULT_SAMPLE, load_sample(DEFAULT_SAMPLE))
    return st.session_state["planner"]
