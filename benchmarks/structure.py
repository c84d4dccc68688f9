"""Evidence for two levers of issue 6, measured on the model as built: decomposition and symmetry.

- Decomposition: the objective is a sum, so variables that share no constraint can be solved
  apart. `components` counts the connected parts of the constraint graph (variables joined
  when they appear in one row) and the size of the largest.
- Symmetry: teachers with the same home school, backbone flag and exactly the same options
  (same schools, subjects, starts, the same cost at every level, in the same shared rows) are
  interchangeable; `teacher_classes` counts such classes, and how many there would be if level 4
  (wishes, seniority, distance: personal by design) did not tell teachers apart. Rows of one teacher only (one
  placement, couples) and teachers held by pins, teams or couples are left out of the merging.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from scheduler.model.builder import PlanModel

from scheduler.model.linear import LinearProgram

#: Rules whose rows tie a teacher to another teacher or to itself only.
_PERSONAL_RULES = {"one_placement", "couples"}


def component_labels(lp: LinearProgram) -> np.ndarray:
    """For each variable, a representative variable of its connected part (union–find over rows)."""
    parent = np.arange(lp.num_columns)

    def find(v: int) -> int:
        root = v
        while parent[root] != root:
            root = parent[root]
        while parent[v] != root:
            parent[v], v = root, parent[v]
        return root

    for r in range(lp.num_rows):
        columns = lp.columns[lp.starts[r]:lp.starts[r + 1]]
        if len(columns) < 2:
            continue
        first = find(int(columns[0]))
        for c in columns[1:]:
            other = find(int(c))
            if other != first:
                parent[other] = first
    return np.array([find(v) for v in range(lp.num_columns)], dtype=np.int64)


def row_labels(lp: LinearProgram, labels: np.ndarray) -> np.ndarray:
    """For each row, its part's label (−1 for an empty row)."""
    first = np.minimum(lp.starts[:-1], max(len(lp.columns) - 1, 0))
    result = labels[lp.columns[first]] if len(lp.columns) else np.full(lp.num_rows, -1)
    return np.where(lp.starts[:-1] < lp.starts[1:], result, -1)


def components(lp: LinearProgram) -> dict[str, int]:
    """Connected parts of the variable–row graph: how many, and the largest (variables, rows)."""
    labels = component_labels(lp)
    rows = row_labels(lp, labels)
    sizes = np.bincount(labels, minlength=lp.num_columns)
    row_sizes = np.bincount(rows[rows >= 0], minlength=lp.num_columns)
    largest = int(np.argmax(sizes))
    return {"components": int(np.count_nonzero(sizes > 1)), "largest_vars": int(sizes[largest]),
            "largest_rows": int(row_sizes[largest])}


def teacher_classes(model: PlanModel) -> dict[str, int]:
    """Teachers with options, and how many classes of interchangeable teachers they form."""
    shared_rows: dict[int, list[int]] = defaultdict(list)
    for r, row in enumerate(model.rows):
        if row.rule not in _PERSONAL_RULES:
            for i, _ in row.terms:
                shared_rows[i].append(r)
    ctx = model.ctx
    position = {t.teacher_id: p for p, t in enumerate(ctx.case.teachers)}
    held = {position[t] for t in ctx.pinned if t in position}
    held |= {position[m.teacher_id] for members in ctx.teams.values() for m in members}
    held |= {model.options[i].teacher for row in model.rows if row.rule == "couples" for i, _ in row.terms}
    levels = model.levels()
    signatures: set[tuple] = set()
    before_wishes: set[tuple] = set()  # the same, blind to level 4 (wishes, seniority, distance)
    free = 0
    for teacher, indices in model.by_teacher.items():
        if teacher in held:
            continue
        free += 1
        person = ctx.case.teachers[teacher]
        options = tuple(sorted(
            (o.school, o.subject, o.start, tuple(model.option_costs.get(level, {}).get(i, 0) for level in levels),
             tuple(shared_rows.get(i, ())))
            for i in indices for o in (model.options[i],)))
        signatures.add((person.school_id, person.backbone, options))
        before_wishes.add((person.school_id, person.backbone,
                           tuple(sorted((o[:3] + (o[3][:-1] if levels[-1] == 4 else o[3], o[4]))
                                        for o in options))))
    return {"teachers_with_options": len(model.by_teacher), "held": len(model.by_teacher) - free,
            "free_teachers": free, "free_classes": len(signatures),
            "free_classes_without_level4": len(before_wishes)}
