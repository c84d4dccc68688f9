"""A solve in a background thread. The thread never calls Streamlit: it only fills this object,
which the pages poll, and hands the finished plan to `on_done` (the store) before it says it ended."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from scheduler.domain.models import Case
from scheduler.domain.settings import Settings
from scheduler.export.progress_words import ProgressWatch
from scheduler.model import Progress, solve
from scheduler.plan import Plan


@dataclass
class SolveJob:
    case: Case
    settings: Settings
    events: list[Progress] = field(default_factory=list)
    plan: Plan | None = None
    error: str | None = None
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None
    #: called in the thread with the finished job (its plan set), before `running` turns False
    on_done: Callable[["SolveJob"], None] | None = None
    #: a published plan to re-plan, kept where the rules allow (the 变更 page)
    published: Plan | None = None
    #: a plan to start from (继续求解: the plan a solve cut by its time limit found), else the greedy plan
    hint: Plan | None = None
    #: the progress as the pages show it: a count that rises within a step, a bar that never goes back
    watch: ProgressWatch = field(default_factory=ProgressWatch)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> "SolveJob":
        self._thread = threading.Thread(target=self._run, name="solve", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.plan = solve(self.case, self.settings, progress=self._progress, stop=self._stop,
                              published=self.published, hint=self.hint)
            if self.on_done is not None:
                self.on_done(self)
        except Exception as error:  # shown to the planner; the traceback goes to the server log
            import traceback

            traceback.print_exc()
            self.error = f"{type(error).__name__}: {error}"
        finally:
            self.finished = time.perf_counter()

    def _progress(self, event: Progress) -> None:
        # in the solver's thread: the list keeps every report, the watch what the pages show
        self.events.append(event)
        self.watch.add(event)

    def progress_line(self, lang: str) -> str | None:
        """The line the pages show: the step, the count of its best plan so far, the time so far (live)."""
        return self.watch.line(lang, self.elapsed)

    def stop(self) -> None:
        self._stop.set()

    @property
    def running(self) -> bool:
        return self.finished is None

    @property
    def elapsed(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
