"""The command line never destroys a file, never prints a traceback and never lets a cell value
drive the terminal: bad paths, outputs over inputs, overwrites without --force, unknown ids,
unexpected errors and control characters, each in Chinese and English."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cases import case, link, need, rural, teacher, urban
from scheduler.cli import guarded, main
from scheduler.export.safe_paths import write_atomically
from scheduler.workbook import write_case

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def roster(tmp_path) -> Path:
    """A two-school roster that solves in well under a second."""
    path = tmp_path / "roster.xlsx"
    write_case(case(urban("U1"), rural("R1"), teacher("T1", "U1"), need("R1"), link("U1", "R1")), path)
    return path


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scheduler", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, env={**os.environ, **(env or {})})


# --- inputs --------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "solve", "audit", "explain"])
def test_a_folder_or_a_missing_input_is_named_with_exit_2(command, roster, tmp_path, capsys):
    missing = tmp_path / "没有.xlsx"
    for bad, zh, en in ((tmp_path, "是一个文件夹", "is a folder"), (missing, "找不到文件", "no such file")):
        args = {"check": [bad], "solve": [bad, "--out", tmp_path / "p.xlsx"], "audit": [bad, roster],
                "explain": [bad]}[command]
        assert main([command, *map(str, args)]) == 2
        err = capsys.readouterr().err
        assert zh in err and str(bad) in err
        assert main(["--lang", "en", command, *map(str, args)]) == 2
        assert en in capsys.readouterr().err


def test_the_messages_name_the_path(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"“{tmp_path}”是一个文件夹，不是文件；请给出文件，如 {tmp_path / 'roster.xlsx'}"
    assert main(["--lang", "en", "check", str(tmp_path / "x.xlsx")]) == 2
    assert capsys.readouterr().err.strip() == f"no such file: {tmp_path / 'x.xlsx'}"


def test_a_folder_as_the_plan_of_audit_or_explain(roster, tmp_path, capsys):
    assert main(["audit", str(roster), str(tmp_path)]) == 2
    assert "是一个文件夹，不是方案工作簿" in capsys.readouterr().err
    assert main(["--lang", "en", "explain", str(roster), "--plan", str(tmp_path / "gone.xlsx")]) == 2
    assert "no such plan workbook" in capsys.readouterr().err


# --- outputs -------------------------------------------------------------------------------

def test_out_as_a_folder_is_refused_before_the_solve(roster, tmp_path, capsys):
    assert main(["solve", str(roster), "--out", str(tmp_path)]) == 2
    printed = capsys.readouterr()
    assert "--out “" + str(tmp_path) + "”是一个文件夹" in printed.err
    assert "开始" not in printed.out  # no level was started


def test_a_missing_output_folder_is_created(roster, tmp_path, capsys):
    out, summary = tmp_path / "新" / "2026" / "plan.xlsx", tmp_path / "json" / "summary.json"
    assert main(["solve", str(roster), "--out", str(out), "--json", str(summary)]) == 0
    assert out.is_file() and summary.is_file()
    template = tmp_path / "a" / "b" / "模板.xlsx"
    assert main(["template", "--out", str(template)]) == 0 and template.is_file()


def test_a_folder_that_cannot_be_created_is_named(roster, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--lang", "en", "solve", str(roster), "--out", str(blocker / "plan.xlsx")]) == 2
    assert f"cannot create the folder {blocker}: {blocker} is a file" in capsys.readouterr().err


def test_out_never_overwrites_an_input(roster, tmp_path, capsys):
    before = roster.read_bytes()
    other_spelling = tmp_path / "." / ".." / tmp_path.name / roster.name
    link_to_it = tmp_path / "link.xlsx"
    link_to_it.symlink_to(roster)
    for out in (roster, other_spelling, link_to_it):
        assert main(["solve", str(roster), "--out", str(out), "--force"]) == 2  # --force does not allow it
        assert "就是输入文件" in capsys.readouterr().err
    assert main(["--lang", "en", "solve", str(roster), "--out", str(tmp_path / "p.xlsx"), "--json", str(roster)]) == 2
    assert f"--json {roster} is an input file" in capsys.readouterr().err
    assert roster.read_bytes() == before


def test_out_and_json_must_differ(roster, tmp_path, capsys):
    same = tmp_path / "same.xlsx"
    assert main(["solve", str(roster), "--out", str(same), "--json", str(same)]) == 2
    assert "--out 与 --json 指向同一个文件" in capsys.readouterr().err
    assert not same.exists()


def test_an_existing_file_of_another_kind_needs_force(roster, tmp_path, capsys):
    notes = tmp_path / "notes.xlsx"
    notes.write_bytes(roster.read_bytes())  # a roster, not a plan
    assert main(["solve", str(roster), "--out", str(notes)]) == 2
    assert "不是之前写出的方案工作簿；如确要覆盖它，请加 --force" in capsys.readouterr().err
    assert notes.read_bytes() == roster.read_bytes()
    assert main(["solve", str(roster), "--out", str(notes), "--force"]) == 0
    capsys.readouterr()
    again = notes.stat().st_mtime_ns
    assert main(["solve", str(roster), "--out", str(notes)]) == 0  # now a previous plan: no --force needed
    assert notes.stat().st_mtime_ns >= again

    config = tmp_path / "config.json"
    config.write_text('{"db": "keep me"}', encoding="utf-8")
    assert main(["--lang", "en", "solve", str(roster), "--out", str(notes), "--json", str(config)]) == 2
    assert "is not a previous JSON summary; add --force" in capsys.readouterr().err
    assert json.loads(config.read_text(encoding="utf-8")) == {"db": "keep me"}
    assert main(["solve", str(roster), "--out", str(notes), "--json", str(config), "--force"]) == 0
    assert main(["solve", str(roster), "--out", str(notes), "--json", str(config)]) == 0


def test_template_and_generate_overwrite_only_their_own_outputs(roster, tmp_path, capsys):
    assert main(["template", "--out", str(roster)]) == 2
    assert "不是之前写出的空白模板" in capsys.readouterr().err
    template = tmp_path / "t.xlsx"
    assert main(["template", "--out", str(template)]) == 0
    assert main(["template", "--out", str(template)]) == 0
    seed = REPO / "seeds" / "lueyang_county.toml"
    assert main(["generate", str(seed), "--out", str(template)]) == 2
    assert "不是之前写出的生成的名册工作簿" in capsys.readouterr().err
    assert main(["generate", str(seed), "--out", str(seed)]) == 2
    assert "就是输入文件" in capsys.readouterr().err


@pytest.mark.slow
def test_generate_replaces_its_own_previous_workbook(tmp_path):
    seed, out = REPO / "seeds" / "lueyang_county.toml", tmp_path / "g.xlsx"
    assert main(["generate", str(seed), "--out", str(out)]) == 0
    assert main(["generate", str(seed), "--out", str(out)]) == 0


def test_a_failed_write_keeps_the_old_file_and_leaves_no_half_file(tmp_path):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the previous plan")

    def fails_halfway(path: Path) -> None:
        path.write_bytes(b"half a pl")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomically(target, fails_halfway)
    assert target.read_bytes() == b"the previous plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]
    write_atomically(target, lambda path: path.write_bytes(b"new"))
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # not the temporary file's private 0600


# --- ids, numbers, unexpected errors ---------------------------------------------------------

def test_an_unknown_school_or_teacher_is_named_with_close_ones(tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    schools = [urban("U1").model_copy(update={"name": "城区一小"}), rural("R1").model_copy(update={"name": "乡村小学"})]
    write_case(case(*schools, teacher("T1", "U1").model_copy(update={"name": "王芳"}), need("R1"),
                    link("U1", "R1")), path)
    assert main(["explain", str(path), "--school", "u1"]) == 2
    assert capsys.readouterr().err.strip() == "学校编号“u1”不在学校表中；是否指：U1（城区一小）"
    assert main(["--lang", "en", "explain", str(path), "--school", "乡村"]) == 2
    assert capsys.readouterr().err.strip() == "school id '乡村' is not in the schools sheet; did you mean R1 (乡村小学)?"
    assert main(["--lang", "en", "explain", str(path), "--teacher", "王芳"]) == 2
    assert capsys.readouterr().err.strip() == "teacher id '王芳' is not in the roster; did you mean T1 (王芳)?"
    assert main(["explain", str(path), "--teacher", "nobody"]) == 2
    assert capsys.readouterr().err.strip() == "教师编号“nobody”不在名册中"


HUGE = ["seed=99999999999", "最低任教年限=1e400", "男教师年龄上限=1e400"]


@pytest.mark.parametrize("item", HUGE)
def test_huge_setting_values_never_print_a_traceback(item, roster, tmp_path):
    done = run("solve", roster, "--out", tmp_path / "p.xlsx", "--set", item,
               env={"SCHEDULER_LOG_DIR": str(tmp_path / "logs")})
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode in (2, 3) and done.stderr.strip(), done.stdout


@pytest.mark.parametrize("item", HUGE)
def test_huge_setting_values_are_refused_with_exit_2(item, roster, tmp_path, capsys):
    assert main(["solve", str(roster), "--out", str(tmp_path / "p.xlsx"), "--set", item]) == 2
    assert item.split("=")[0] in capsys.readouterr().err


def test_an_infinite_time_limit_is_refused(roster, tmp_path, capsys):
    assert main(["solve", str(roster), "--out", str(tmp_path / "p.xlsx"), "--time-limit", "1e400"]) == 2
    assert "--time-limit 应为正数" in capsys.readouterr().err


def test_an_unexpected_error_is_told_in_a_few_words_with_the_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SCHEDULER_LOG_DIR", str(tmp_path / "logs"))

    def broken() -> int:
        return {}["the bug"]

    assert guarded(broken, "zh") == 3
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "内部错误，命令未完成：KeyError: 'the bug'"
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and err[1].startswith(f"详细信息已写入 {logs[0]}")
    assert "Traceback" in logs[0].read_text(encoding="utf-8") and "the bug" in logs[0].read_text(encoding="utf-8")
    assert guarded(broken, "en") == 3
    assert capsys.readouterr().err.startswith("internal error, the command did not finish: KeyError")
    monkeypatch.setenv("SCHEDULER_TRACEBACK", "1")
    with pytest.raises(KeyError):
        guarded(broken, "en")


def test_the_shell_entry_is_guarded(tmp_path):
    """A seed file that is valid TOML but no scenario reaches the generator: a message, not a traceback."""
    seed = tmp_path / "seed.toml"
    seed.write_text("x = 1\n", encoding="utf-8")
    done = run("--lang", "en", "generate", seed, "--out", tmp_path / "g.xlsx",
               env={"SCHEDULER_LOG_DIR": str(tmp_path / "logs")})
    assert "Traceback" not in done.stderr
    assert done.returncode == 2 and f"the seed file {seed} is invalid" in done.stderr


# --- control characters ----------------------------------------------------------------------

ESCAPE_NAME = "\x1b[2J\x1b[31m王芳\u202e\x07"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_control_characters_in_cells_are_printed_escaped(lang, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    hostile = teacher("T1", "U1").model_copy(update={"name": ESCAPE_NAME})
    school = rural("R1").model_copy(update={"name": "乡村\r小学"})
    write_case(case(urban("U1"), school, hostile, need("R1"), link("U1", "R1")), path)
    plan = tmp_path / "plan.xlsx"
    outputs = []
    for args in (["solve", str(path), "--out", str(plan)], ["explain", str(path), "--teacher", "T1"],
                 ["audit", str(path), str(plan)], ["explain", str(path), "--school", "R1\x1b"],
                 ["check", str(path)]):
        main(["--lang", lang, *args])
        printed = capsys.readouterr()
        outputs.append(printed.out + printed.err)
    everything = "\n".join(outputs)
    assert not {"\x1b", "\x07", "\r", "\u202e"} & set(everything)
    assert "\\x1b[2J\\x1b[31m王芳\\u202e\\x07" in outputs[1]  # the why of the placed teacher
    assert "乡村\\x0d小学" in outputs[1]
    assert "R1\\x1b" in outputs[3]


def test_a_horizon_that_clashes_only_with_the_workbooks_is_refused_in_words(tmp_path, capsys):
    """Each value is fine alone; together the horizon ends before it starts (no pydantic text)."""
    path = tmp_path / "roster.xlsx"
    roster = case(urban("U1"), rural("R1"), teacher("T1", "U1"), need("R1"), link("U1", "R1"))
    write_case(roster.model_copy(update={"settings": {"horizon_from": "2028-fall"}}), path)
    assert main(["solve", str(path), "--out", str(tmp_path / "p.xlsx"), "--set", "规划结束学期=2027-fall"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("设置无效：") and "规划" in err and "validation error" not in err, err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, where permissions say yes but files cannot be made")
def test_a_folder_that_refuses_files_is_named_before_solving_in_the_planners_words(roster, capsys):
    assert main(["solve", str(roster), "--out", "/proc/plan.xlsx"]) == 2
    captured = capsys.readouterr()
    assert "无法在文件夹“/proc”中写出文件：" in captured.err and "No such file" not in captured.err
    assert "第1步" not in captured.out  # refused before any solving


def test_output_cut_short_by_a_closed_pipe_is_not_an_internal_error(roster, tmp_path):
    """`python -m scheduler check ... | head -1`: the reader closing the pipe is not a bug."""
    command = f"{sys.executable} -m scheduler check {roster} {roster} | head -c 1"
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "SCHEDULER_LOG_DIR": str(tmp_path / "logs")}, timeout=120)
    assert "内部错误" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert not (tmp_path / "logs").exists()
