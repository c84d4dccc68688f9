"""The benchmark's tables (Markdown) and its verdict against the targets of issue 6.

Times are medians over the repeated runs of a case; the per-level table shows the run whose
file-to-sheets time is the median, next to the baselines (run once unless asked otherwise).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

#: Targets (issue 6), per scale group.
COUNTY_END_TO_END_S = 5.0
CITY_FIRST_PLAN_S = 10.0
CITY_WITHIN_1PCT_S = 60.0
PROVINCE_GAP = 0.02
PROVINCE_TIME_S = 600.0
PROVINCE_RSS_MIB = 8 * 1024


def _median(values: list[float | None]) -> tuple[float | None, int]:
    """The median of the values that are there, and how many are there."""
    present = [v for v in values if v is not None]
    return (statistics.median(present) if present else None), len(present)


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _gap(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def median_time(entry: dict, key: str) -> float | None:
    return _median([run["times"].get(key) for run in entry["runs"]])[0]


def _time_cell(entry: dict, key: str) -> str:
    value, count = _median([run["times"].get(key) for run in entry["runs"]])
    cell = _seconds(value)
    return cell if count in (0, len(entry["runs"])) else f"{cell} ({count}/{len(entry['runs'])})"


def representative(entry: dict) -> dict:
    """The run with the median file-to-sheets time."""
    runs = sorted(entry["runs"], key=lambda run: run["times"]["end_to_end"])
    return runs[(len(runs) - 1) // 2]


def baselines(entry: dict) -> dict | None:
    return next((run["baselines"] for run in entry["runs"] if "baselines" in run), None)


def pipeline_table(entries: list[dict]) -> list[str]:
    lines = ["| case | teachers | schools | options | variables | constraints | write xlsx s | read+validate s "
             "| build s | greedy s | first plan s | ≤ 1 % s | solve s | sheets out s | file → sheets s "
             "| status | peak RSS MiB | load |",
             "|" + "---|" * 18]
    for entry in entries:
        run = entry["runs"][0]
        statuses = sorted({r["status"] for r in entry["runs"]})
        rss = _median([r["peak_rss_mb"] for r in entry["runs"]])[0]
        load = _median([r["load_before"] for r in entry["runs"]])[0]
        lines.append("| " + " | ".join([
            entry["label"], _number(run["teachers"]), _number(run["schools"]), _number(run["options"]),
            _number(run["variables"]), _number(run["constraints"]), _seconds(entry["prepare"]["write_s"]),
            _time_cell(entry, "read_validate"), _time_cell(entry, "build"), _time_cell(entry, "greedy"),
            _time_cell(entry, "first_plan"), _time_cell(entry, "within_1pct"), _time_cell(entry, "solve"),
            _time_cell(entry, "export"), _time_cell(entry, "end_to_end"), "/".join(statuses),
            _number(rss), f"{load:.1f}"]) + " |")
    return lines


def level_table(entries: list[dict]) -> list[str]:
    lines = ["| case | level | CP-SAT value | bound | gap | level s | ≤ 1 % at s (from solve start) | end | greedy "
             "| HiGHS value "
             "| HiGHS bound | HiGHS gap | HiGHS s | LP floor |",
             "|" + "---|" * 14]
    for entry in entries:
        run = representative(entry)
        base = baselines(entry) or {}
        greedy = {level["number"]: level for level in base.get("greedy", {}).get("levels", [])}
        highs = {level["number"]: level for level in base.get("highs", {}).get("levels", [])}
        floor = {level["number"]: level for level in base.get("lp", {}).get("levels", [])}
        solved = {level["number"]: level for level in run["levels"]}
        numbers = sorted(set(solved) | set(greedy) | set(highs))
        for number in numbers:
            cp = solved.get(number, {})
            g, h, f = greedy.get(number, {}), highs.get(number, {}), floor.get(number, {})
            level_s = cp["end_s"] - cp["start_s"] if cp.get("end_s") is not None else None
            lines.append("| " + " | ".join([
                entry["label"], f"{number} {cp.get('key') or g.get('key', '')}", _number(cp.get("value")),
                _number(cp.get("bound")), _gap(cp.get("gap")), _seconds(level_s), _seconds(cp.get("within_target_s")),
                cp.get("status", "not run"), _number(g.get("value")), _number(h.get("value")),
                _number(h.get("bound")), _gap(h.get("gap")), _seconds(h.get("seconds")),
                "—" if f.get("bound") is None else f"{f['bound']:,.1f}"]) + " |")
    return lines


def build_table(entries: list[dict]) -> list[str]:
    lines = ["| case | options s | variables s | rules s | slowest rules | translate to MIP s | LP s "
             "| independent parts (largest: vars / rows) | free teachers → classes (without level 4) |",
             "|" + "---|" * 9]
    for entry in entries:
        profile: dict[str, float] = {}
        for key in entry["runs"][0]["build_profile"]:
            profile[key] = _median([run["build_profile"].get(key) for run in entry["runs"]])[0] or 0.0
        rules = {k.removeprefix("rule:"): v for k, v in profile.items() if k.startswith("rule:")}
        slowest = ", ".join(f"{k} {v:.2f}" for k, v in sorted(rules.items(), key=lambda kv: -kv[1])[:3])
        base = baselines(entry) or {}
        shape = entry["runs"][0].get("structure", {})
        parts = (f"{shape['components']:,} ({shape['largest_vars']:,} / {shape['largest_rows']:,})"
                 if shape else "—")
        classes = (f"{shape['free_teachers']:,} → {shape['free_classes']:,} "
                   f"({shape['free_classes_without_level4']:,})" if shape else "—")
        lines.append("| " + " | ".join([
            entry["label"], _seconds(profile.get("options")), _seconds(profile.get("variables")),
            _seconds(sum(rules.values())), slowest, _seconds(_median([r.get("translate_s") for r in entry["runs"]])[0]),
            _seconds(base.get("lp", {}).get("seconds")), parts, classes]) + " |")
    return lines


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def verdicts(entries: list[dict]) -> list[str]:
    """One line per target and case, with the measured figure."""
    lines = []
    for entry in entries:
        label, group = entry["label"], entry["group"]
        runs = entry["runs"]
        end_to_end = median_time(entry, "end_to_end")
        if group == "county":
            optimal = sum(run["status"] == "optimal" for run in runs)
            ok = optimal == len(runs) and end_to_end is not None and end_to_end < COUNTY_END_TO_END_S
            lines.append(f"- county {label}: proven optimal in {optimal}/{len(runs)} runs, file → sheets "
                         f"{_seconds(end_to_end)} s (target < {COUNTY_END_TO_END_S:g} s): {_mark(ok)}")
        elif group == "city":
            first, within = median_time(entry, "first_plan"), median_time(entry, "within_1pct")
            lines.append(f"- city {label}: first plan {_seconds(first)} s (target < {CITY_FIRST_PLAN_S:g} s): "
                         f"{_mark(first is not None and first < CITY_FIRST_PLAN_S)}; ≤ 1 % on every level "
                         f"{_seconds(within)} s (target < {CITY_WITHIN_1PCT_S:g} s): "
                         f"{_mark(within is not None and within < CITY_WITHIN_1PCT_S)}")
        elif group == "province":
            run = representative(entry)
            gaps = [level["gap"] for level in run["levels"] if level["gap"] is not None]
            complete = len(gaps) == run["level_count"]
            worst = max(gaps, default=None)
            rss = _median([r["peak_rss_mb"] for r in runs])[0]
            ok = complete and worst <= PROVINCE_GAP and end_to_end < PROVINCE_TIME_S and rss < PROVINCE_RSS_MIB
            lines.append(f"- province {label}: {len(gaps)} of {run['level_count']} levels solved, largest gap "
                         f"{_gap(worst) if complete else 'unknown'}, file → sheets {_seconds(end_to_end)} s, "
                         f"peak RSS {_number(rss)} MiB (targets: every level ≤ 2 %, < 600 s, < 8 GiB): {_mark(ok)}")
        else:
            lines.append(f"- {group} {label}: file → sheets {_seconds(end_to_end)} s (no target at this scale)")
        lines += _against_baselines(entry)
    return lines


def _against_baselines(entry: dict) -> list[str]:
    base = baselines(entry)
    if not base:
        return []
    run = representative(entry)
    solved = {level["number"]: level for level in run["levels"]}
    worse_than_highs = []
    for h in base["highs"]["levels"]:
        cp = solved.get(h["number"])
        if cp is None or cp.get("gap") is None:
            worse_than_highs.append(f"level {h['number']} not solved by CP-SAT")
        elif h.get("gap") is not None and cp["gap"] > h["gap"] + 1e-9:
            worse_than_highs.append(f"level {h['number']} {cp['gap']:.2%} vs {h['gap']:.2%}")
    lines = [f"  - gap vs HiGHS at equal time: "
             + ("no worse on every level" if not worse_than_highs else "worse: " + "; ".join(worse_than_highs))]
    lines.append("  - against greedy: " + _lexicographic(solved, base["greedy"]["levels"]))
    return lines


def _lexicographic(solved: dict[int, dict], greedy_levels: list[dict]) -> str:
    """Levels are compared in priority order: the first that differs decides (lower is better)."""
    for g in greedy_levels:
        cp = solved.get(g["number"])
        if cp is None or cp.get("value") is None or g.get("value") is None:
            return f"level {g['number']} not comparable (not solved)"
        if cp["value"] != g["value"]:
            verdict = "better" if cp["value"] < g["value"] else "WORSE"
            relative = abs(cp["value"] - g["value"]) / max(abs(g["value"]), 1.0)
            return (f"CP-SAT {verdict} at level {g['number']} {g['key']} ({_number(cp['value'])} vs "
                    f"{_number(g['value'])}, {relative:.1%})")
    return "the same on every level"


def markdown(entries: list[dict], meta: dict[str, Any]) -> str:
    parts = [f"## Benchmark ({meta['when']})", "",
             f"`{meta['command']}` · {meta['machine']} · time limit {meta['time_limit']:g} s · "
             f"median of {meta['repeat']} run(s), each case in its own process", "",
             "### Pipeline", "", *pipeline_table(entries), "",
             "### Per level (CP-SAT run with the median file → sheets time; baselines at the same time limit)", "",
             *level_table(entries), "",
             "### Model building and structure", "", *build_table(entries), "",
             "### Targets", "", *verdicts(entries), ""]
    sources = sorted({run.get("scheduler_source", "?") for entry in entries for run in entry["runs"]})
    parts[2] += f" · scheduler/ sources {', '.join(sources)}"
    if len(sources) > 1:
        parts += ["**scheduler/ changed while the benchmark ran: rows mix code versions.**", ""]
    if meta.get("notes"):
        parts += ["### Notes", "", *[f"- {note}" for note in meta["notes"]], ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Render a results JSON again (after the report changed): python -m benchmarks.report FILE.json"""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=main.__doc__)
    parser.add_argument("json", type=Path)
    args = parser.parse_args(argv)
    data = json.loads(args.json.read_text(encoding="utf-8"))
    print(markdown(data["cases"], data["meta"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
