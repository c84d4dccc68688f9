"""The planner's canonical state, kept in one object in `st.session_state`, outside widget keys,
so switching pages or languages loses nothing; and backed by the store (scheduler.store), so a
reload, a second tab or a server restart finds it again.

The store is opened once per server (PLANNER_DB, else the default SQLite file, created on first
open); a store that cannot be opened leaves the planner working on this session alone, saying so.
Solves run in a per-server registry keyed by project: they outlive the page and the tab, and the
worker stores its plan as a new version when it ends (scheduler.store.workspace decides which)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from scheduler.domain.models import Case, Pin
from scheduler.domain.settings import DEFAULTS, Settings, settings_with
from scheduler.plan import Plan
from scheduler.rules import Text
from scheduler.store import ENV_VAR, Conflict, ProjectInfo, ScenarioInfo, Store, StoredVersion, StoreError, default_url
from scheduler.store import open_store
from scheduler.store import workspace
from scheduler.workbook import Loaded, read_files

from .login import signed_in
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

    # the store ----------------------------------------------------------------------------------

    #: the store this session saves to (None: working on the session alone)
    store: Store | None = None
    #: why the store cannot be used (shown on every page), or the last change it refused
    store_error: Text | None = None
    #: the stored settings that could not be read (at their defaults meanwhile), shown on every page
    settings_problems: list[Text] = field(default_factory=list)
    project: ProjectInfo | None = None
    upload_ids: list[int] = field(default_factory=list)
    scenario: ScenarioInfo | None = None
    #: the stored current version shown, and the solved one it comes from
    current: StoredVersion | None = None
    solved: StoredVersion | None = None
    #: what was last saved as the scenario (`workspace.scenario_key`), to save only a change
    saved: tuple | None = None
    #: a solve of this session when there is no store
    session_job: SolveJob | None = None
    #: the job whose result this session has taken up
    adopted: int | None = None
    #: the versions this session made current (its solves, edits, reverts): no one else's change
    own_versions: set[int] = field(default_factory=set)
    #: in this script run, the plan moved under the edit table's changes (said; an 检查修改 stores nothing)
    moved_under_edit: Text | None = None

    @property
    def saving(self) -> bool:
        return self.store is not None and self.project is not None

    @property
    def job(self) -> SolveJob | None:
        if self.saving:
            return _jobs().get(_job_key(self.store, self.project.id))
        return self.session_job

    @job.setter
    def job(self, job: SolveJob | None) -> None:
        if self.saving:
            if job is None:
                _jobs().pop(_job_key(self.store, self.project.id), None)
            else:
                _jobs()[_job_key(self.store, self.project.id)] = job
        else:
            self.session_job = job

    def replace_data(self, source: str, loaded: Loaded, is_sample: bool = False,
                     files: tuple[tuple[str, bytes], ...] = ()) -> None:
        if is_sample and not files and (SAMPLES / source).exists():
            files = ((source, (SAMPLES / source).read_bytes()),)
        self.source, self.loaded, self.is_sample, self.files = source, loaded, is_sample, files
        self.data_version += 1
        self.pins, self.plan, self.solved_plan, self.plan_settings, self.previous = None, None, None, None, None
        if self.job is not None:
            self.job.stop()
            self.job = None
        if self.saving:
            self._guarded(self._store_files)
            self.autosave()

    def _store_files(self) -> None:
        files = workspace.stored_files(self.files, self.is_sample)
        self.upload_ids = workspace.store_files(self.store, self.project.id, files, self.loaded.report, self.columns)

    def _guarded(self, action, *args) -> bool:
        """Run a store action; a refusal is kept to be shown, and the session goes on."""
        try:
            action(*args)
            return True
        except Conflict as error:
            self.store_error = error.text
            self.reload()
        except StoreError as error:
            self.store_error = error.text
        return False

    def _fingerprint(self) -> tuple:
        case = self.case
        return workspace.scenario_key(self.settings(), self.columns, case.pins if case is not None else [],
                                      self.upload_ids)

    def autosave(self) -> None:
        """Save the settings, rule modes, column mapping, pins and files as the project's scenario,
        when they changed since last saved (another tab's change meanwhile: Conflict, shown)."""
        if not self.saving:
            return
        now = self._fingerprint()
        if now == self.saved:
            return
        case = self.case

        def save() -> None:
            self.scenario = workspace.save_scenario(
                self.store, self.project.id, self.settings(), self.columns, case.pins if case is not None else [],
                self.upload_ids, seen=self.scenario.updated_at if self.scenario is not None else None)
            self.saved = now
            self.settings_problems = []  # the text read in part is replaced (and kept in the history)

        self._guarded(save)

    def sync(self) -> None:
        """Once per script run: save this session's changes, then take up what changed in the store
        (a finished solve, another tab's change)."""
        self.adopt()  # first: a page that waits for it must never wait again, whatever the store says
        self.moved_under_edit = None
        if not self.saving:
            return
        self.autosave()
        try:
            project, changed = workspace.changed_since(
                self.store, self.project.id, self.scenario.updated_at if self.scenario is not None else None,
                self.current.info.id if self.current else None)
        except StoreError as error:
            self.store_error = error.text
            return
        if project is None:
            return
        self.project = project
        if changed == "scenario":
            self.reload()
        elif changed == "plan":
            pending = self._pending_edit()
            if self._guarded(lambda: self._show(*workspace.shown_versions(workspace.snapshot(self.store, project),
                                                                          self.upload_ids))) \
                    and pending and project.current_version_id not in self.own_versions:
                number = project.current_version_id
                self.store_error = self.moved_under_edit = Text(f"当前方案已被他人改为版本 #{number}；您在“手工调整”表中尚未应用的修改没有保存，"
                                        "现显示该版本，请在其上重做",
                                        f"someone else made version #{number} the current plan; your changes in the "
                                        "hand-edit table were not applied. That version is shown: make them on it")

    def _pending_edit(self) -> bool:
        """Whether the Plan page's edit table holds changes not yet applied (检查修改)."""
        edits = st.session_state.get(f"edit_{self.plan_version}")
        return isinstance(edits, dict) and any(edits.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))

    def adopt(self) -> bool:
        """Take up a finished solve once: from the store (the worker stored it), or, with no store,
        into this session by the same rule (Stop or infeasible never replace a plan)."""
        job = self.job
        if job is None or job.running or self.adopted == id(job):
            return False
        self.adopted = id(job)
        if self.saving:
            return True
        if job.plan is not None:
            plan = self.plan
            keep, make_current = workspace.solve_outcome(job.plan, plan.status if plan is not None else None,
                                                         len(plan.placements) if plan is not None else 0)
            if keep and make_current:
                self.set_plan(job.plan, job.settings)
        return True

    # projects -----------------------------------------------------------------------------------

    def open_project(self, project: ProjectInfo, chosen: bool = True) -> None:
        """Show `project`; `chosen` (picked by the planner, not reopened) records it as the one used last."""
        self.project, self.scenario, self.current, self.solved, self.saved = project, None, None, None, None
        self.previous, self.files, self.upload_ids = None, (), []
        if chosen:
            self._guarded(workspace.touch, self.store, project.id)
        self.reload()
        if not self.files:  # a new project starts from the bundled sample, stored as its file
            self.replace_data(DEFAULT_SAMPLE, load_sample(DEFAULT_SAMPLE), is_sample=True)

    def reload(self) -> None:
        """Everything of the project as the store has it (scheduler.store.workspace.open_scenario)."""
        try:
            opened = workspace.open_scenario(self.store, self.project, read_cached, self.upload_ids, self.loaded)
        except StoreError as error:
            self.store_error = error.text
            return
        snap = opened.snapshot
        self.project, self.scenario = snap.project, snap.scenario
        if opened.columns is not None:
            self.columns = opened.columns
        if opened.loaded is not None:
            self.is_sample = workspace.is_bundled_sample(opened, SAMPLES)
            self.files, self.upload_ids, self.loaded = opened.files, list(snap.upload_ids), opened.loaded
            self.source = " + ".join(name for name, _ in self.files)
            self.data_version += 1
        if opened.settings is not None:
            self.overrides, self.pins = opened.overrides, opened.pins
            self._bump_widgets()
        self.settings_problems = opened.problems
        self._show(opened.current, opened.solved)
        self.saved = self._fingerprint() if snap.scenario is not None else None

    def _show(self, current: StoredVersion | None, solved: StoredVersion | None) -> None:
        """Show the stored `current` plan (None: no plan of this data; a solve makes the next one)."""
        self.current, self.solved = current, solved
        if current is None:
            self.plan = self.solved_plan = self.plan_settings = None
        else:
            self.solved_plan = solved.plan if solved is not None else None
            self.plan, self.plan_settings = current.plan, workspace.version_settings(current)
        self.plan_version += 1

    @staticmethod
    def _bump_widgets() -> None:
        """The Rules page's widgets show the loaded settings, not what they held before."""
        for key in [k for k in st.session_state if str(k).startswith(("set_", "mode_"))]:
            del st.session_state[key]
        st.session_state["pins_version"] = st.session_state.get("pins_version", 0) + 1

    def create_project(self, name: str) -> bool:
        try:
            project = self.store.create_project(name)
        except StoreError as error:
            self.store_error = error.text
            return False
        self.open_project(project, chosen=False)  # its creation is recorded already
        return True

    def rename_project(self, name: str) -> bool:
        if self._guarded(self.store.rename_project, self.project.id, name):
            self.project = workspace.project_by_id(self.store, self.project.id)
            return True
        return False

    def archive_project(self) -> None:
        """Archive this project and open the one used last of the others (a new one when none is left)."""
        try:
            following = workspace.archive(self.store, self.project.id)
        except StoreError as error:
            self.store_error = error.text
            return
        self.open_project(following)

    def add_note(self, text: str, version_id: int | None = None) -> bool:
        """A note on the project, or on one of its plan versions; in the project's history."""
        return self.saving and self._guarded(self.store.add_note, self.project.id, text.strip(), version_id)

    def history(self) -> list[workspace.Event]:
        """The project's changes, newest first, worded (scheduler.store.history)."""
        if not self.saving:
            return []
        try:
            return workspace.project_history(self.store, self.project.id)
        except StoreError as error:
            self.store_error = error.text
            return []

    # plans --------------------------------------------------------------------------------------

    def start_solve(self, hint: Plan | None = None, time_limit: float | None = None) -> None:
        """Solve in the background; `hint`: a plan to start from (继续求解) instead of the greedy plan;
        `time_limit`: seconds for this solve instead of the setting's (the plan records what was used)."""
        job = self.job
        if job is not None and job.running:
            return
        case, settings = self.case, self.settings()
        if time_limit is not None:
            settings = settings.model_copy(update={"time_limit_s": time_limit})
        done = None
        if self.saving:
            self.autosave()
            store, project_id = self.store, self.project.id
            upload_ids, columns = list(self.upload_ids), dict(self.columns)
            scenario_id = self.scenario.id if self.scenario is not None else None

            own = self.own_versions

            def done(finished: SolveJob) -> None:
                if finished.plan is not None:
                    stored = workspace.store_solve(store, project_id, case, settings, finished.plan,
                                                   upload_ids=upload_ids, columns=columns, scenario_id=scenario_id)
                    if stored is not None:
                        own.add(stored.id)
        self.job = SolveJob(case, settings, on_done=done, hint=hint).start()

    def edit_plan(self, plan: Plan) -> None:
        """A hand edit: a new stored version when the current plan is stored, else in this session. An
        edit of a plan someone else replaced in this run is not stored (its table showed the old plan)."""
        if self.moved_under_edit is not None:
            self.store_error = self.moved_under_edit  # said again after the page's rerun
            return
        if self.saving and self.current is not None:
            if self._guarded(lambda: self.own_versions.add(workspace.store_edit(self.store, self.current, self.case,
                                                                                plan).id)):
                self.sync()
            return
        self.set_plan(plan)

    def revert_edit(self) -> None:
        """Back to the solved plan the edits started from (the store's pointer moves; nothing is deleted)."""
        if self.saving and self.solved is not None and self.current is not None:
            self.own_versions.add(self.solved.info.id)
            if self._guarded(self.store.set_current, self.project.id, self.solved.info.id, self.current.info.id):
                self.sync()
            return
        if self.solved_plan is not None:
            self.set_plan(self.solved_plan)

    def stale(self) -> list[str]:
        """What changed since the plan shown was solved: "settings", "pins", "files"."""
        if self.plan is None:
            return []
        if self.saving and self.current is not None:
            try:
                return workspace.stale_inputs(self.current, self.scenario)
            except StoreError:
                return []
        return ["settings"] if self.plan_settings is not None and self.plan_settings != self.settings() else []


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


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    """One store per database per server (a failure is not cached: the next session tries again)."""
    return open_store(url)


@st.cache_resource(show_spinner=False)
def _jobs() -> dict[tuple[str, int], SolveJob]:
    """The server's solves, one per project: they outlive the script run, the page and the tab."""
    return {}


def _job_key(store: Store, project_id: int) -> tuple[str, int]:
    return store.where, project_id


def _start() -> Planner:
    state = Planner(DEFAULT_SAMPLE, load_sample(DEFAULT_SAMPLE))
    try:
        # as the signed-in person (ui/login.py): their name on every change, their role's rights
        state.store = signed_in(_open_store(os.environ.get(ENV_VAR) or default_url()))
    except StoreError as error:
        state.store_error = error.text
        return state
    try:
        wanted = st.query_params.get("project")
        project = workspace.project_to_open(state.store, int(wanted) if wanted and wanted.isdigit() else None)
    except StoreError as error:
        state.store, state.store_error = None, error.text
        return state
    state.open_project(project, chosen=False)
    return state


def planner() -> Planner:
    if "planner" not in st.session_state:
        st.session_state["planner"] = _start()
    return st.session_state["planner"]


def sync() -> Planner:
    """Called once per script run (the sidebar): autosave, take up the store's changes, and keep
    the project in the address (?project=), so a reload opens it again."""
    state = planner()
    state.sync()
    if state.saving and st.query_params.get("project") != str(state.project.id):
        st.query_params["project"] = str(state.project.id)
    return state
