"""Where the scenarios run: in this process (`processes=1`), on a local process pool (the default,
one process per core), or on a Ray cluster (ray_runner.py; Ray itself is imported only when asked for).

Each runner yields every scenario's Outcome as it finishes; closing the iterator (the command line
does on Ctrl-C) stops the work that is left. The plan does not depend on the runner: a scenario is
one single-worker CP-SAT solve with a fixed seed (model/parameters.py), wherever it runs.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator

from ..domain.models import Case
from ..rules import Text
from .outcome import ERROR, Job, Outcome, failed, solve_scenario
from .ray_runner import run_on_ray  # imports Ray itself only when connecting


def default_processes() -> int:
    """One process per core this process may use (a container's CPU set, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def run_jobs(case: Case, jobs: list[Job], processes: int | None = None, ray: str | None = None) -> Iterator[Outcome]:
    """Every job's outcome, in the order they finish. `ray`: an address, or "local" to start Ray on
    this machine; RayUnavailable (raised here, before anything runs) when it cannot be used."""
    processes = processes or default_processes()
    if ray is not None:
        return run_on_ray(case, jobs, ray, processes)
    if processes == 1 or len(jobs) == 1:
        return run_serial(case, jobs)
    return run_on_pool(case, jobs, min(processes, len(jobs)))


def run_serial(case: Case, jobs: list[Job]) -> Iterator[Outcome]:
    for job in jobs:
        yield solve_scenario(case, job)


#: the case this pool worker solves; set once per process by `_start_worker`, not sent with every job
_CASE: Case | None = None


def _start_worker(case: Case) -> None:
    global _CASE
    _CASE = case
    # Ctrl-C in a terminal reaches the whole process group: the driver alone decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _solve_in_worker(job: Job) -> Outcome:
    assert _CASE is not None
    return solve_scenario(_CASE, job)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """While the workers start: a process spawned with SIGINT ignored keeps it ignored from its first
    instruction (the interpreter installs its handler only over the default one), so a Ctrl-C while a
    worker boots does not kill it with a traceback before `_start_worker` runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_on_pool(case: Case, jobs: list[Job], processes: int,
                work: Callable[[Job], Outcome] = _solve_in_worker) -> Iterator[Outcome]:
    """`work` (a module-level function, run in the workers) is the solve; the tests give one that dies."""
    broken: list[Job] = []
    for job, outcome in _on_a_pool(case, jobs, processes, work):
        if outcome is None:
            broken.append(job)
        else:
            yield outcome
    # A worker that dies (killed, out of memory) takes the whole pool with it, and which scenario it
    # was solving is not known: each scenario left runs alone, so only the one that dies alone says so.
    for job in broken:
        for _, outcome in _on_a_pool(case, [job], 1, work):
            yield outcome or failed(job.index, ERROR, Text("工作进程意外退出（可能内存不足，或被系统终止）",
                                                          "the worker process died (out of memory, or killed?)"))


def _on_a_pool(case: Case, jobs: list[Job], processes: int,
               work: Callable[[Job], Outcome]) -> Iterator[tuple[Job, Outcome | None]]:
    """(job, its outcome) as each finishes; None for the jobs lost with a broken pool."""
    # `spawn`, not fork: the driver may hold threads (OR-Tools, a UI server) that fork would copy
    # half-way, and it is the only start method on macOS and Windows.
    context = multiprocessing.get_context("spawn")
    before = set(multiprocessing.active_children())
    executor = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker, initargs=(case,))
    finished = broke = False
    try:
        futures: dict[Future, Job] = {}
        unsent: list[Job] = []
        with _sigint_ignored():
            # each submit starts a worker until there are `processes`: all of them start in here,
            # and one that dies meanwhile breaks the pool for the jobs not yet sent
            for job in jobs:
                try:
                    futures[executor.submit(work, job)] = job
                except BrokenProcessPool:
                    unsent = jobs[jobs.index(job):]
                    break
        for job in unsent:
            broke = True
            yield job, None
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: futures[f].index):
                outcome = _outcome(future, futures[future])
                broke = broke or outcome is None
                yield futures[future], outcome
        finished = True
    finally:
        # A broken pool's surviving workers may wait on its queues for ever: a full test run once hung
        # 10 minutes in shutdown(wait=True) with one worker left idle. They are ended instead.
        if finished and not broke:
            executor.shutdown(wait=True)
        else:
            _stop(executor, before)


def _outcome(future: Future, job: Job) -> Outcome | None:
    try:
        return future.result()
    except BrokenProcessPool:
        return None
    except Exception as error:  # noqa: BLE001 — the job's result could not come back (not picklable…): its row only
        words = f"{type(error).__name__}: {error}"[:300]
        return failed(job.index, ERROR, Text(f"结果无法传回：{words}", f"the result could not be sent back: {words}"))


def _stop(executor: ProcessPoolExecutor, before: set) -> None:
    """Cancel what has not started and end the workers now: a solve running in one may take minutes."""
    processes = list((executor._processes or {}).values())  # type: ignore[attr-defined]  # 3.11 has no public terminate
    executor.shutdown(wait=False, cancel_futures=True)
    # Also every child started since the pool was made: the executor's own thread may be starting a
    # worker that is not in its table yet (a test saw one alive after close, 1 run in 4); killed where
    # the terminate was not enough in 5 s.
    processes += [p for p in multiprocessing.active_children() if p not in processes and p not in before]
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
