"""`python -m scheduler sweep`: one plan per scenario of the grid, read back with its settings, a
comparison table whose figures are each plan's own, the same plans on every runner."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import shutil
import socket
import time
from pathlib import Path

import openpyxl
import pytest

from scheduler.cli import main
from scheduler.config.overrides import override_entries
from scheduler.domain.settings import parse_value
from scheduler.export import headline, read_plan
from scheduler.sweep import Job, scenarios
from scheduler.sweep import outcome as outcome_module
from scheduler.sweep import runners
from scheduler.sweep.names import file_stem, safe_name
from scheduler.sweep.runners import run_on_pool
from scheduler.workbook import read_paths
from scheduler.workbook.setting_checks import settings_of

ROOT = Path(__file__).resolve().parent.parent
LUEYANG = ROOT / "sample_data" / "lueyang_county.xlsx"
GRID = ["--grid", "quota_rate=0.10,0.15", "--grid", "pairing_mode=strict,prefer"]
STEMS = ["quota_rate=0.10,pairing_mode=strict", "quota_rate=0.10,pairing_mode=prefer",
         "quota_rate=0.15,pairing_mode=strict", "quota_rate=0.15,pairing_mode=prefer"]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def loaded():
    return read_paths([LUEYANG])


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("sweep") / "serial"
    code, printed, errors = _run(["sweep", str(LUEYANG), *GRID, "--out", str(folder), "--processes", "1"])
    assert code == 0, printed + errors
    return folder, printed


def _rows(path: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row)) for row in rows]


def _placements(summary: Path) -> list[dict]:
    return json.loads(summary.read_text(encoding="utf-8"))["placements"]


def test_one_plan_per_scenario_read_back_with_its_settings(serial):
    folder, _ = serial
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{stem}.xlsx" for stem in STEMS] + [f"{stem}.json" for stem in STEMS] + ["方案比较.xlsx"])
    for stem in STEMS:
        wanted = dict(item.split("=") for item in stem.split(","))
        sheet = openpyxl.load_workbook(folder / f"{stem}.xlsx", read_only=True)["规则设置"]
        used = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
        for key, value in wanted.items():
            assert parse_value(key, str(used[key])) == parse_value(key, value), (stem, key, used[key])
        recorded = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))["settings"]
        assert parse_value("quota_rate", recorded["quota_rate"]) == float(wanted["quota_rate"])
        assert recorded["pairing_mode"] == wanted["pairing_mode"]


def test_the_table_has_each_plans_own_figures(serial, loaded):
    folder, printed = serial
    rows = _rows(folder / "方案比较.xlsx")
    assert [row["方案"] for row in rows] == STEMS
    for row in rows:
        assert row["方案文件"] == f"{row['方案']}.xlsx"
        assert row["已证明最优"] == "是" and row["状态"] == "最优（已证明）", row
        assert row["求解秒数"] > 0
        # the figures of the plan as read back from its own workbook, by the headline code
        settings = settings_of(override_entries([f"quota_rate={row['quota_rate']}",
                                                 f"pairing_mode={row['pairing_mode']}"]), loaded.settings)
        plan, problems = read_plan(loaded.case, folder / row["方案文件"], settings)
        assert problems.ok
        figures = headline(loaded.case, settings, plan)
        assert row["派出人数"] == figures.placements == len(plan.placements)
        assert row["其中骨干"] == f"{figures.backbone_placed}/{figures.placements}"
        assert row["交流比例达标单位"] == f"{figures.schools_meeting_quota}/{figures.sending_schools}"
        assert row["需求满足（人·学期）"] == f"{figures.need_filled}/{figures.need_total}"
        assert row["音体美需求满足（人·学期）"] == f"{figures.arts_filled}/{figures.arts_need}"
        assert row["结对保持（结对学年）"] == f"{figures.link_years_alive}/{figures.link_years}"
        # and the printed table carries the same row
        line = next(line for line in printed.splitlines() if line.startswith(row["方案"] + " "))
        assert f" {figures.need_filled}/{figures.need_total} " in line


def test_a_higher_quota_never_rotates_fewer_teachers(serial):
    folder, _ = serial
    rotated = {}
    for stem in STEMS:
        sheet = openpyxl.load_workbook(folder / f"{stem}.xlsx", read_only=True)["派出安排"]
        rotated[stem] = sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row[0])
    for mode in ("strict", "prefer"):
        low, high = rotated[f"quota_rate=0.10,pairing_mode={mode}"], rotated[f"quota_rate=0.15,pairing_mode={mode}"]
        assert high >= low > 0, rotated
    # and the two rates do differ on this sample: the grid really reached the solve
    assert rotated["quota_rate=0.15,pairing_mode=strict"] > rotated["quota_rate=0.10,pairing_mode=strict"]


def test_bad_keys_and_values_are_all_named_and_nothing_is_written(tmp_path):
    folder = tmp_path / "out"
    code, printed, errors = _run(["sweep", str(LUEYANG), "--grid", "quota_ratio=0.1,0.2", "--grid",
                                  "pairing_mode=prefer,sometimes", "--grid", "quota_rate=0.1,abc", "--out", str(folder)])
    assert code == 2
    assert "quota_ratio" in errors and "sometimes" in errors and "abc" in errors, errors
    assert "Traceback" not in errors and not printed
    assert not folder.exists()
    code, _, errors = _run(["--lang", "en", "sweep", str(LUEYANG), "--grid", "quota_ratio=0.1", "--out", str(folder)])
    assert code == 2 and "quota_ratio" in errors and "nothing was solved" in errors
    assert not folder.exists()


def test_the_pool_gives_the_serial_plans(serial, tmp_path):
    folder, _ = serial
    pooled = tmp_path / "pool"
    code, printed, errors = _run(["sweep", str(LUEYANG), *GRID, "--out", str(pooled), "--processes", "2"])
    assert code == 0, printed + errors
    for stem in STEMS:
        assert _placements(pooled / f"{stem}.json") == _placements(folder / f"{stem}.json"), stem


def test_ray_local_gives_the_serial_plans(serial, tmp_path):
    pytest.importorskip("ray")
    folder, _ = serial
    on_ray = tmp_path / "ray"
    started = time.perf_counter()
    code, printed, errors = _run(["sweep", str(LUEYANG), "--grid", "quota_rate=0.10,0.15", "--grid",
                                  "pairing_mode=strict", "--out", str(on_ray), "--ray", "local", "--processes", "2"])
    assert code == 0, printed + errors
    for stem in STEMS[0], STEMS[2]:
        assert _placements(on_ray / f"{stem}.json") == _placements(folder / f"{stem}.json"), stem
    assert len(_rows(on_ray / "方案比较.xlsx")) == 2
    print(f"ray local sweep: {time.perf_counter() - started:.1f} s")


def test_a_failing_scenario_is_its_rows_note_and_the_others_go_on(tmp_path, monkeypatch):
    real = outcome_module.solve

    def failing(case, settings, **kwargs):
        if settings.quota_rate == 0.15:
            raise RuntimeError("solver exploded")
        return real(case, settings, **kwargs)

    monkeypatch.setattr(outcome_module, "solve", failing)
    folder = tmp_path / "out"
    code, _printed, _errors = _run(["sweep", str(LUEYANG), "--grid", "quota_rate=0.10,0.15", "--out", str(folder),
                                  "--processes", "1"])
    assert code == 1
    rows = {row["方案"]: row for row in _rows(folder / "方案比较.xlsx")}
    assert rows["quota_rate=0.15"]["状态"] == "出错" and "solver exploded" in rows["quota_rate=0.15"]["说明"]
    assert not (folder / "quota_rate=0.15.xlsx").exists()
    assert rows["quota_rate=0.10"]["状态"] == "最优（已证明）" and (folder / "quota_rate=0.10.xlsx").exists()


def test_outputs_never_replace_the_workbook_or_a_foreign_file(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    shutil.copy(LUEYANG, folder / "quota_rate=0.10.xlsx")  # the workbook under a scenario's name
    code, _, errors = _run(["sweep", str(folder / "quota_rate=0.10.xlsx"), "--grid", "quota_rate=0.10",
                            "--out", str(folder), "--force"])
    assert code == 2 and "输入文件" in errors
    (folder / "quota_rate=0.10.xlsx").rename(folder / "roster.xlsx")
    (folder / "quota_rate=0.10.json").write_text("my notes", encoding="utf-8")
    code, _, errors = _run(["sweep", str(folder / "roster.xlsx"), "--grid", "quota_rate=0.10", "--out", str(folder)])
    assert code == 2 and "--force" in errors
    assert (folder / "quota_rate=0.10.json").read_text(encoding="utf-8") == "my notes"
    # a sweep's own outputs are replaced by a re-run; English labels with --lang en
    (folder / "quota_rate=0.10.json").unlink()
    for _ in range(2):
        code, printed, errors = _run(["--lang", "en", "sweep", str(folder / "roster.xlsx"), "--grid", "quota_rate=0.10",
                                      "--out", str(folder)])
        assert code == 0, printed + errors
    row, = _rows(folder / "comparison.xlsx")
    assert row["scenario"] == "quota_rate=0.10" and row["proven"] == "yes" and row["placed"] > 0


def test_closing_the_pool_early_ends_its_workers(loaded):
    settings = loaded.settings
    jobs = [Job(i, f"s{i}", settings) for i in range(4)]
    results = run_on_pool(loaded.case, jobs, 2)
    first = next(results)
    assert first.ok and first.headline["placements"] > 0
    results.close()  # what Ctrl-C does in the command
    assert not multiprocessing.active_children()


def test_file_names_are_safe_and_never_shared():
    assert safe_name("rule:links_alive=off") == "rule_links_alive=off"
    assert safe_name('a/b\\c*d?"e<f>g|h i') == "a_b_c_d_e_f_g_h_i"
    assert safe_name("con") == "_con"
    taken = {"quota_rate=0.1"}
    assert file_stem("Quota_rate=0.1", 3, taken) == "Quota_rate=0.1~4"
    long = file_stem("x=" + "9" * 300, 0, set())
    assert len(long) <= 120 and long != file_stem("x=" + "9" * 299 + "8", 0, set())
    assert [s.stem for s in scenarios(["规则:links_alive=off,soft"])] == ["规则_links_alive=off", "规则_links_alive=soft"]


def test_a_combination_that_clashes_is_its_row_and_the_others_are_solved(tmp_path):
    # each value is valid alone; a horizon ending before it starts is not
    folder = tmp_path / "out"
    code, printed, errors = _run(["sweep", str(LUEYANG), "--grid", "horizon_from=2026秋,2030秋", "--grid",
                                  "horizon_to=2028春", "--out", str(folder), "--processes", "1"])
    assert code == 1, printed + errors
    rows = {row["方案"]: row for row in _rows(folder / "方案比较.xlsx")}
    clash = rows["horizon_from=2030秋,horizon_to=2028春"]
    assert clash["状态"] == "设置冲突" and "2030" in clash["说明"] and not clash["方案文件"]
    solved = rows["horizon_from=2026秋,horizon_to=2028春"]
    assert solved["状态"] == "最优（已证明）" and (folder / solved["方案文件"]).exists()


def test_a_cluster_that_does_not_answer_is_said_before_anything_runs(tmp_path):
    pytest.importorskip("ray")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path / "out"
    code, _printed, errors = _run(["--lang", "en", "sweep", str(LUEYANG), "--grid", "quota_rate=0.10", "--out",
                                  str(folder), "--ray", f"127.0.0.1:{port}"])
    assert code == 2 and f"127.0.0.1:{port}" in errors and "ray start --head" in errors, errors
    assert not folder.exists() and "Traceback" not in errors


def _dies_on_the_second(job: Job):
    """A pool worker's solve that kills its process on scenario 1 (as the system does when memory runs out)."""
    if job.index == 1:
        os._exit(1)
    return runners._solve_in_worker(job)


# Slow: in one full default run (after ~1,000 tests in the same process) this test hung for 10 minutes
# with one pool worker left idle; alone it passes in 8 s. The runner now ends a broken pool's workers
# instead of waiting for them, but the hang was not reproduced, so it stays out of the default run.
@pytest.mark.slow
def test_a_worker_that_dies_loses_its_own_scenario_only(loaded):
    jobs = [Job(i, f"s{i}", loaded.settings) for i in range(3)]
    outcomes = {o.index: o for o in run_on_pool(loaded.case, jobs, 2, work=_dies_on_the_second)}
    said = {i: (o.status, o.error) for i, o in outcomes.items()}
    assert sorted(outcomes) == [0, 1, 2], said
    assert outcomes[0].ok and outcomes[2].ok and outcomes[0].headline == outcomes[2].headline, said
    assert not outcomes[1].ok and "died" in outcomes[1].error.en, said
    assert not multiprocessing.active_children()
