"""`python -m scheduler workspace [--db URL] import|solve|list|export|backup|restore ...`: the
planning workspace (scheduler.store) on the command line. This module is only the parser; what
each command does is in `workspace_run`, imported when a workspace command runs, so `check`,
`solve` and the rest do not load SQLAlchemy and Alembic (≈0.8 s).

The database is `--db URL`, else the environment variable PLANNER_DB, else the SQLite file
~/.local/share/teacher-exchange/planner.db (`scheduler.store.default_path()`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from . import commands

#: the scenario a project's first import makes
DEFAULT_SCENARIO = "默认"


def _lazy(action: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from . import workspace_run  # here, not above: only a workspace command loads the store

        return workspace_run.run(action, args)
    return run


def add_workspace(commands_parser: argparse._SubParsersAction) -> None:
    workspace = commands_parser.add_parser(
        "workspace", help="projects, scenarios and plan versions kept in a database (--db URL or PLANNER_DB)")
    workspace.add_argument("--db", metavar="URL",
                           help="the database, any SQLAlchemy URL (default: PLANNER_DB, else "
                                "~/.local/share/teacher-exchange/planner.db)")
    commands._add_lang(workspace)
    actions = workspace.add_subparsers(dest="action", required=True)

    def project_option(command: argparse.ArgumentParser, required: bool = True) -> None:
        command.add_argument("--project", required=required, metavar="NAME", help="the project (a planning round)")

    import_command = actions.add_parser("import", help="keep a workbook (or CSV files) in a project, as uploaded")
    import_command.add_argument("files", nargs="+", type=Path, metavar="WORKBOOK")
    project_option(import_command)
    import_command.add_argument("--scenario", default=DEFAULT_SCENARIO, metavar="NAME",
                                help=f"the scenario that uses the files (default {DEFAULT_SCENARIO})")
    import_command.add_argument("--limit", type=int, default=50, help="most problems printed (default 50)")
    commands._add_rules(import_command)
    commands._add_lang(import_command)
    import_command.set_defaults(run=_lazy("_import"))

    solve_command = actions.add_parser("solve", help="solve a scenario and store the plan as a new version")
    project_option(solve_command)
    solve_command.add_argument("--scenario", metavar="NAME",
                               help="the scenario (default: the project's first; a new name copies it)")
    solve_command.add_argument("--time-limit", type=float, metavar="S", help="time limit in seconds")
    commands._add_set(solve_command)
    commands._add_lang(solve_command)
    solve_command.set_defaults(run=_lazy("_solve"))

    list_command = actions.add_parser("list", help="projects; with --project its files, scenarios and plan versions")
    project_option(list_command, required=False)
    commands._add_lang(list_command)
    list_command.set_defaults(run=_lazy("_list"))

    export_command = actions.add_parser("export", help="write a plan version's assignment workbook")
    project_option(export_command)
    export_command.add_argument("--plan", type=int, metavar="VERSION", help="the plan version (default: current)")
    export_command.add_argument("--out", type=Path, required=True, help="the assignment workbook to write (.xlsx)")
    export_command.add_argument("--json", type=Path, help="also write the JSON summary here")
    commands._add_force(export_command)
    commands._add_lang(export_command)
    export_command.set_defaults(run=_lazy("_export"))

    backup_command = actions.add_parser("backup", help="the whole store in one file")
    backup_command.add_argument("--out", type=Path, required=True)
    commands._add_force(backup_command)
    commands._add_lang(backup_command)
    backup_command.set_defaults(run=_lazy("_backup"))

    restore_command = actions.add_parser("restore", help="a backup into an empty store")
    restore_command.add_argument("file", type=Path)
    commands._add_lang(restore_command)
    restore_command.set_defaults(run=_lazy("_restore"))

    compare_command = actions.add_parser("compare", help="plan versions side by side: figures, teachers, schools, "
                                                         "settings that differ")
    project_option(compare_command)
    compare_command.add_argument("--plans", type=int, nargs="+", required=True, metavar="VERSION",
                                 help="two or more plan versions of the project")
    compare_command.add_argument("--out", type=Path, help="also write the comparison as a workbook (.xlsx)")
    commands._add_force(compare_command)
    commands._add_lang(compare_command)
    compare_command.set_defaults(run=_lazy("_compare"))

    user_command = actions.add_parser("user", help="who may sign in when the planner is reached from another computer")
    user_actions = user_command.add_subparsers(dest="user_action", required=True)
    user_add = user_actions.add_parser("add", help="add a user (the password from --password-file, else stdin)")
    user_add.add_argument("name")
    user_add.add_argument("--role", choices=["admin", "planner", "viewer"], default="planner",
                          help="admin manages users, planner plans, viewer only looks (default planner)")
    user_add.add_argument("--password-file", type=Path, metavar="FILE",
                          help="read the password from the first line of FILE (default: from stdin)")
    commands._add_lang(user_add)
    user_add.set_defaults(run=_lazy("_user_add"))
    user_list = user_actions.add_parser("list", help="the users and their roles")
    commands._add_lang(user_list)
    user_list.set_defaults(run=_lazy("_user_list"))




commands.MORE_COMMANDS.append(add_workspace)
