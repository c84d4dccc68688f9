"""The scenarios on a Ray cluster: `--ray HEAD:6379` (or `ray://HEAD:10001`), or `--ray local` to
start Ray on this machine (the tests, the benchmark). Ray is imported here only, when asked for.

The case goes into the object store once (`ray.put`) and every task takes it from there; each task
asks for as many CPUs as its solve uses (`workers`), so Ray never runs more solves on a node than it
has cores. Every node needs this package installed, the same version as the driver.
"""

from __future__ import annotations

import logging
import socket
from typing import Any, Iterator

from ..domain.models import Case
from ..export.safe_paths import os_error_words
from ..rules import Text
from .outcome import ERROR, Job, Outcome, failed, solve_scenario


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached; in both languages."""

    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def _solve_task(case: Case, job: Job) -> Outcome:
    return solve_scenario(case, job)


def connect(address: str, processes: int) -> Any:
    """The `ray` module, initialised: a local instance of `processes` CPUs, or the cluster at `address`."""
    try:
        import ray
    except ImportError:
        raise RayUnavailable(Text("未安装 Ray：请先安装 pip install 'teacher-exchange-planner[cluster]'（或 pip install ray）",
                                  "Ray is not installed: pip install 'teacher-exchange-planner[cluster]' (or pip install ray)"))
    unreachable = _unreachable(address)
    if unreachable is not None:
        raise RayUnavailable(Text(f"无法连接 Ray 集群“{address}”：{unreachable.zh}",
                                  f"cannot connect to the Ray cluster {address!r}: {unreachable.en}"))
    # Ray's own start-up lines would go between the sweep's; its warnings still come through
    options: dict[str, Any] = {"log_to_driver": False, "include_dashboard": False, "logging_level": logging.WARNING}
    try:
        if address == "local":
            # a local instance of its own, never one a colleague started on this machine
            ray.init(address="local", num_cpus=processes, **options)
        else:
            ray.init(address=address, **options)
    except Exception as error:  # noqa: BLE001 — ConnectionError, ValueError, RuntimeError, ray's own
        words = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RayUnavailable(Text(f"无法连接 Ray 集群“{address}”：{words}",
                                  f"cannot connect to the Ray cluster {address!r}: {words}"))
    return ray


def _unreachable(address: str) -> Text | None:
    """Why nothing answers at `address` (host:port or ray://host:port), or None. Asked first because
    ray.init, given an address where no cluster runs, retries for minutes and may end the process."""
    if address in ("local", "auto"):
        return None
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return Text("地址应写作 主机:端口，如 10.0.0.5:6379 或 ray://10.0.0.5:10001",
                    "the address should be host:port, e.g. 10.0.0.5:6379 or ray://10.0.0.5:10001")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=5):
            return None
    except OSError as error:
        return Text(os_error_words(error, "zh") + "（请确认头节点已运行 ray start --head，且地址与端口正确）",
                    os_error_words(error, "en") + " (is `ray start --head` running there, on that port?)")


def run_on_ray(case: Case, jobs: list[Job], address: str, processes: int) -> Iterator[Outcome]:
    """Connect now (so a bad address is said before anything runs), then yield outcomes as they finish."""
    ray = connect(address, processes)
    return _outcomes(ray, case, jobs)


def _outcomes(ray: Any, case: Case, jobs: list[Job]) -> Iterator[Outcome]:
    pending: list[Any] = []
    try:
        task = ray.remote(_solve_task)
        case_ref = ray.put(case)
        by_ref = {task.options(num_cpus=max(1, job.settings.workers)).remote(case_ref, job): job for job in jobs}
        pending = list(by_ref)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                try:
                    yield ray.get(ref)
                except Exception as error:  # noqa: BLE001 — a node lost, a worker killed: that row only
                    words = str(error).splitlines()[0][:300] if str(error) else type(error).__name__
                    yield failed(by_ref[ref].index, ERROR, Text(f"Ray 任务失败：{words}", f"the Ray task failed: {words}"))
    finally:
        for ref in pending:  # Ctrl-C, or the caller stopped reading: nothing keeps running on the cluster
            ray.cancel(ref, force=True)
        ray.shutdown()
