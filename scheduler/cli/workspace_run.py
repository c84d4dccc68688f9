"""What `python -m scheduler workspace [--db URL] ...` does (the parser is in `workspace`, which
imports this module only when a workspace command runs, so no other command pays for SQLAlchemy
and Alembic): the planning workspace (scheduler.store) on the command line, for scripting and tests: import files into a project, solve a scenario into a new
plan version, list, export a version, back the whole store up and restore it.

The database is `--db URL`, else the environment variable PLANNER_DB, else the SQLite file at
`scheduler.store.default_path()`. Planner mistakes and database faults (locked, read-only,
corrupt, from a newer planner) exit 2 with a message; nothing stored is changed by a failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

from ..audit import audit
from ..config.rules_file import load_rules
from ..domain.models import Case
from ..explain import explain_infeasible
from ..export import plan_summary, status_label, write_plan_workbook
from ..export.compare import write_comparison
from ..export.safe_paths import output_problem
from ..model import solve
from ..plan import ENDED_STOPPED
from ..rules import Text
from ..store import (ProjectInfo, ScenarioInfo, Store, StoreError, backup, open_store, restore,
                     role_label, settings_text, sqlite_path, version_record)
from ..store.backup import is_backup
from ..store.compare import compare_versions
from ..store.store import default_url
from ..workbook import Loaded, read_files
from ..workbook.setting_checks import SettingsClash, settings_of
from .commands import _inputs_ok, _overrides, _plan_lines, _print_unmatched, _ProgressLines, _rules, _say, _written

def _project(store: Store, name: str, lang: str) -> ProjectInfo | None:
    project = store.project(name)
    if project is None:
        names = [p.name for p in store.projects()]
        known = ("、".join(names) if lang == "zh" else ", ".join(names)) if names else ("（无）" if lang == "zh" else "(none)")
        _say(Text(f"没有名为“{name}”的项目；已有项目：{known}", f"there is no project {name!r}; projects: {known}"), lang)
    return project


def _read_uploads(store: Store, upload_ids: list[int], columns: dict) -> Loaded:
    return read_files([store.upload_content(upload_id) for upload_id in upload_ids], columns=columns or None)


def _import(args: argparse.Namespace, store: Store) -> int:
    rules = _rules(args)
    if rules is None or not _inputs_ok(args.files, args.lang):
        return 2
    zh = args.lang == "zh"
    contents = [(path.name, path.read_bytes()) for path in args.files]
    project = store.project(args.project) or store.create_project(args.project)
    loaded = read_files(contents, columns=rules[1] or None)
    uploads = []
    for name, content in contents:
        upload, duplicate = store.add_upload(project.id, name, content, loaded.report, rules[1])
        uploads.append(upload)
        if duplicate:
            when = upload.uploaded_at.strftime("%Y-%m-%d %H:%M")
            print(f"“{name}”已于 {when} 导入项目“{project.name}”（文件 #{upload.id}“{upload.file_name}”），未重复保存"
                  if zh else f"{name} was imported into {project.name!r} on {when} already (file #{upload.id} "
                             f"{upload.file_name!r}); not stored again")
        else:
            print(f"已保存文件 #{upload.id}“{name}”（{upload.size} 字节，SHA-256 {upload.sha256[:12]}…）" if zh
                  else f"stored file #{upload.id} {name!r} ({upload.size} bytes, SHA-256 {upload.sha256[:12]}...)")
    if loaded.report.problems:
        print(loaded.report.text(args.lang, limit=args.limit))
    _print_unmatched(loaded, args.lang)
    if loaded.case is None:
        print("文件有错误，已保存但未用于场景；请修正后重新导入" if zh
              else "the files have errors: stored, but not used by a scenario; fix them and import again")
        return 1
    ids = [upload.id for upload in uploads]
    scenario = store.scenario(project.id, args.scenario)
    if scenario is None:
        settings = loaded.settings
        scenario = store.save_scenario(project.id, args.scenario, settings_text(settings, rules[1]),
                                       loaded.case.pins, ids)
        print(f"场景“{scenario.name}”：设置与锁定取自所导入的工作簿" if zh
              else f"scenario {scenario.name!r}: settings and pins from the imported workbook")
    elif scenario.upload_ids != ids:
        store.save_scenario(project.id, scenario.name, scenario.settings_text, scenario.pins, ids)
        print(f"场景“{scenario.name}”改用所导入的文件；其设置与锁定保持不变" if zh
              else f"scenario {scenario.name!r} now uses the imported files; its settings and pins are unchanged")
    case = loaded.case
    print(("教师 {} 名，学校 {} 所，结对 {} 条，需求 {} 行，锁定 {} 条" if zh
           else "{} teachers, {} schools, {} links, {} need rows, {} pins").format(
        len(case.teachers), len(case.schools), len(case.links), len(case.demands), len(case.pins)))
    return 0


def _scenario_for(store: Store, project: ProjectInfo, name: str | None, lang: str) -> ScenarioInfo | None:
    scenarios = store.scenarios(project.id)
    if not scenarios:
        _say(Text(f"项目“{project.name}”还没有导入数据；请先 workspace import",
                  f"project {project.name!r} has no data yet; run workspace import first"), lang)
        return None
    if name is None:
        return scenarios[0]
    found = next((s for s in scenarios if s.name == name), None)
    if found is None:  # a new scenario starts as a copy of the first
        first = scenarios[0]
        found = store.save_scenario(project.id, name, first.settings_text, first.pins, first.upload_ids)
        _say(Text(f"新场景“{name}”：复制自场景“{first.name}”", f"new scenario {name!r}: a copy of {first.name!r}"), lang)
    return found


def _case(loaded: Loaded, scenario: ScenarioInfo) -> Case:
    return loaded.case.model_copy(update={"pins": list(scenario.pins)})


def _solve(args: argparse.Namespace, store: Store) -> int:
    rules = _rules(args)
    overrides = None if rules is None else _overrides(args, rules[0])
    if overrides is None:
        return 2
    project = _project(store, args.project, args.lang)
    scenario = None if project is None else _scenario_for(store, project, args.scenario, args.lang)
    if scenario is None:
        return 2
    zh = args.lang == "zh"
    loaded = _read_uploads(store, scenario.upload_ids, scenario.columns)
    if loaded.case is None:
        print(loaded.report.text(args.lang, limit=50))
        return 1
    try:
        settings = settings_of(overrides, scenario.settings)
    except SettingsClash as clash:
        print(("设置无效：" if zh else "invalid settings: ") + clash.text.get(args.lang), file=sys.stderr)
        return 2
    if args.set or rules[0]:  # the scenario keeps what it was solved with
        scenario = store.save_scenario(project.id, scenario.name, settings_text(settings, scenario.columns),
                                       scenario.pins, scenario.upload_ids)
    case = _case(loaded, scenario)
    plan = solve(case, settings, progress=_ProgressLines(args.lang))
    if plan.status in ("infeasible", "unknown"):
        print("无可行方案：硬规则互相矛盾。未保存新版本，已有版本保持不变。" if zh
              else "infeasible: the hard rules contradict each other. No version stored; the stored ones are unchanged.")
        if plan.status == "infeasible":
            print("\n".join(explain_infeasible(case, settings).lines(args.lang)))
        return 1
    report = audit(case, settings, plan)
    print("\n".join(_plan_lines(case, settings, plan, report, args.lang)))
    new = version_record(case, settings, plan, upload_ids=scenario.upload_ids, columns=scenario.columns,
                         report=report, scenario_id=scenario.id, parent_id=project.current_version_id)
    # A stopped solve is kept, but the current version stays the one the planner had.
    current = plan.ended != ENDED_STOPPED
    version = store.add_version(project.id, new, make_current=current)
    print(f"已保存为方案版本 #{version.id}（场景“{scenario.name}”）" + ("，设为当前版本" if current else "") if zh
          else f"stored as plan version #{version.id} (scenario {scenario.name!r})" + (", now current" if current else ""))
    return 0 if report.ok else 1


def _headline_words(figures: dict, lang: str) -> str:
    zh = lang == "zh"
    return (f"派出 {figures['placements']} 人，骨干 {figures['backbone_placed']}，"
            f"交流比例达标学校 {figures['schools_meeting_quota']}/{figures['sending_schools']}，"
            f"需求满足 {figures['need_filled']}/{figures['need_total']}" if zh
            else f"{figures['placements']} placed, {figures['backbone_placed']} backbone, quota met "
                 f"{figures['schools_meeting_quota']}/{figures['sending_schools']} schools, need "
                 f"{figures['need_filled']}/{figures['need_total']}")


def _list(args: argparse.Namespace, store: Store) -> int:
    zh = args.lang == "zh"
    if args.project is None:
        projects = store.projects()
        if not projects:
            print(f"数据库“{store.where}”中还没有项目" if zh else f"no projects in {store.where} yet")
        for p in projects:
            current = f"#{p.current_version_id}" if p.current_version_id else "—"
            archived = ("（已归档）" if zh else " (archived)") if p.archived else ""
            print(f"{p.id}  {p.name}{archived}  " + (f"创建于 {p.created_at:%Y-%m-%d}，方案版本 {p.versions} 个，当前 {current}"
                                                   if zh else f"created {p.created_at:%Y-%m-%d}, {p.versions} plan "
                                                              f"version(s), current {current}"))
        return 0
    project = _project(store, args.project, args.lang)
    if project is None:
        return 2
    print(f"项目“{project.name}”" if zh else f"project {project.name!r}")
    print("文件：" if zh else "files:")
    for upload in store.uploads(project.id):
        print(f"  #{upload.id}  {upload.file_name}  {upload.size}  {upload.sha256[:12]}  "
              f"{upload.uploaded_at:%Y-%m-%d %H:%M}  {upload.report.summary(args.lang)}")
    print("场景：" if zh else "scenarios:")
    for scenario in store.scenarios(project.id):
        print(f"  #{scenario.id}  {scenario.name}  " + (f"文件 {scenario.upload_ids}，锁定 {len(scenario.pins)} 条" if zh
              else f"files {scenario.upload_ids}, {len(scenario.pins)} pin(s)"))
    print("方案版本：" if zh else "plan versions:")
    names = {s.id: s.name for s in store.scenarios(project.id)}
    for version in store.versions(project.id):
        mark = "*" if version.id == project.current_version_id else " "
        origin = {"solve": ("求解", "solve"), "edit": ("手工编辑", "hand edit")}.get(version.origin,
                                                                                 (version.origin, version.origin))
        print(f" {mark}#{version.id}  {version.created_at:%Y-%m-%d %H:%M}  {origin[0 if zh else 1]}  "
              f"{names.get(version.scenario_id, '')}  {status_label(version.status, args.lang)}  "
              f"{_headline_words(version.headline, args.lang)}")
    return 0


def _inputs(args: argparse.Namespace) -> list[Path]:
    """Files an output must never replace: the SQLite file of the store."""
    path = sqlite_path(args.db or default_url())
    return [path] if path is not None else []


def _checked_output(args: argparse.Namespace, path: Path, kind: str, others: list[tuple[str, Path]] = (),
                    option: str = "--out") -> bool:
    problem = output_problem(path, kind, _inputs(args), others, force=args.force, option=option)
    if problem is not None:
        _say(problem, args.lang)
    return problem is None


def _export(args: argparse.Namespace, store: Store) -> int:
    if not _checked_output(args, args.out, "plan", [("--json", args.json)] if args.json else []):
        return 2
    if args.json is not None and not _checked_output(args, args.json, "summary", option="--json"):
        return 2
    project = _project(store, args.project, args.lang)
    if project is None:
        return 2
    zh = args.lang == "zh"
    version_id = args.plan if args.plan is not None else project.current_version_id
    if version_id is None:
        _say(Text(f"项目“{project.name}”还没有方案版本；请先 workspace solve",
                  f"project {project.name!r} has no plan version yet; run workspace solve first"), args.lang)
        return 2
    stored = store.version(version_id)
    if stored.info.project_id != project.id:
        _say(Text(f"方案版本 #{version_id} 不属于项目“{project.name}”",
                  f"plan version #{version_id} is not in project {project.name!r}"), args.lang)
        return 2
    settings = stored.settings
    loaded = _read_uploads(store, stored.info.upload_ids, load_rules(stored.info.settings_text).columns)
    if loaded.case is None:
        print(loaded.report.text(args.lang, limit=50))
        return 1
    case = loaded.case.model_copy(update={"pins": list(stored.pins)})
    report = audit(case, settings, stored.plan)
    if not _written(args.out, lambda path: write_plan_workbook(case, settings, stored.plan, path, lang=args.lang,
                                                               report=report), args.lang):
        return 2
    written = [str(args.out)]
    if args.json is not None:
        text = json.dumps(plan_summary(case, settings, stored.plan, report), ensure_ascii=False, indent=1)
        if not _written(args.json, lambda path: path.write_text(text, encoding="utf-8"), args.lang):
            return 2
        written.append(str(args.json))
    print((f"方案版本 #{version_id}：已写出 " if zh else f"plan version #{version_id} written: ")
          + ("、" if zh else ", ").join(written))
    return 0


def _backup(args: argparse.Namespace, store: Store) -> int:
    problem = output_problem(args.out, "summary", _inputs(args), force=True)
    if problem is None and args.out.exists() and not args.force and not is_backup(args.out):
        problem = Text(f"“{args.out}”已存在，且不是之前写出的备份；如确要覆盖它，请加 --force",
                       f"{args.out} exists and is not a previous backup; add --force to overwrite it")
    if problem is not None:
        _say(problem, args.lang)
        return 2
    counts: dict[str, int] = {}
    if not _written(args.out, lambda path: counts.update(backup(store, path)), args.lang):
        return 2
    print((f"已备份到 {args.out}：项目 {counts['projects']} 个，文件 {counts['uploads']} 个，方案版本 {counts['plan_versions']} 个"
           if args.lang == "zh" else f"backed up to {args.out}: {counts['projects']} project(s), {counts['uploads']} "
                                     f"file(s), {counts['plan_versions']} plan version(s)"))
    return 0


def _restore(args: argparse.Namespace, store: Store) -> int:
    if not _inputs_ok([args.file], args.lang, ("备份文件", "backup file")):
        return 2
    counts = restore(store, args.file)
    print((f"已从 {args.file} 恢复到 {store.where}：项目 {counts['projects']} 个，文件 {counts['uploads']} 个，"
           f"方案版本 {counts['plan_versions']} 个" if args.lang == "zh"
           else f"restored {args.file} into {store.where}: {counts['projects']} project(s), {counts['uploads']} "
                f"file(s), {counts['plan_versions']} plan version(s)"))
    return 0


def _compare(args: argparse.Namespace, store: Store) -> int:
    if len(set(args.plans)) < 2:
        _say(Text("请给出至少两个不同的方案版本（--plans 3 4）", "give two different plan versions or more (--plans 3 4)"),
             args.lang)
        return 2
    if args.out is not None and not _checked_output(args, args.out, "comparison"):
        return 2
    project = _project(store, args.project, args.lang)
    if project is None:
        return 2
    versions = []
    for version_id in dict.fromkeys(args.plans):
        stored = store.version(version_id)
        if stored.info.project_id != project.id:
            _say(Text(f"方案版本 #{version_id} 不属于项目“{project.name}”",
                      f"plan version #{version_id} is not in project {project.name!r}"), args.lang)
            return 2
        versions.append(stored)
    first = versions[0]
    loaded = _read_uploads(store, first.info.upload_ids, load_rules(first.info.settings_text).columns)
    if loaded.case is None:
        print(loaded.report.text(args.lang, limit=50))
        return 1
    case = loaded.case.model_copy(update={"pins": list(first.pins)})
    comparison = compare_versions(case, versions)
    print("\n".join(comparison.lines(args.lang)))
    if args.out is not None:
        if not _written(args.out, lambda path: write_comparison(comparison, path, args.lang), args.lang):
            return 2
        print((f"已写出 {args.out}" if args.lang == "zh" else f"written: {args.out}"))
    return 0


def _password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        lines = args.password_file.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("密码：" if args.lang == "zh" else "password: ")
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _user_add(args: argparse.Namespace, store: Store) -> int:
    if args.password_file is not None and not _inputs_ok([args.password_file], args.lang, ("密码文件", "password file")):
        return 2
    user = store.add_user(args.name, args.role, _password(args))
    print(f"已添加用户“{user.name}”（{role_label(user.role)}）" if args.lang == "zh"
          else f"added user {user.name!r} ({role_label(user.role, 'en')})")
    return 0


def _user_list(args: argparse.Namespace, store: Store) -> int:
    zh = args.lang == "zh"
    users = store.users()
    if not users:
        print("还没有用户（本机访问无需登录）" if zh else "no users yet (the planner needs no login on this computer)")
    for user in users:
        off = ("（已停用）" if zh else " (disabled)") if user.disabled else ""
        print(f"{user.name}  {role_label(user.role, args.lang)}{off}  {user.created_at:%Y-%m-%d}")
    return 0


def run(action: str, args: argparse.Namespace) -> int:
    """Run the workspace command `action` ("_import", "_solve" ...) on the store `args` names; a
    database fault or a refusal of the store exits 2 with its message."""
    try:
        with open_store(args.db or default_url()) as store:
            return _ACTIONS[action](args, store)
    except StoreError as error:
        _say(error.text, args.lang)
        return 2


_ACTIONS: dict[str, Callable[[argparse.Namespace, Store], int]] = {
    "_import": _import, "_solve": _solve, "_list": _list, "_export": _export, "_backup": _backup, "_restore": _restore,
    "_compare": _compare, "_user_add": _user_add, "_user_list": _user_list}
