"""Read a workbook with python-calamine in a child process, under a memory and a CPU cap.

Run as a script (`python -I calamine_child.py`), never imported by the planner: the parent
(isolated_read) writes a pickle of {"data", "wanted", "memory", "seconds"} to stdin and reads a
pickle of {"sheets": [(name, columns or None, error or None)], "error"} from stdout, a column
being ("text", its cells joined by NUL) when every cell is text, else ("cells", the list). Only the
standard library and python-calamine are imported, so the child starts in a tenth of a second
and the address-space cap measures the read, not pandas.

A hostile file can make calamine abort (a failed allocation is not an exception in Rust) or
panic (pyo3 raises PanicException, a BaseException): here that ends this process only.
"""

import io
import pickle
import sys
from operator import itemgetter


def _limit(memory: int, seconds: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no caps, the child still keeps a crash away from the server
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))


def _error(error: BaseException) -> tuple[str, str]:
    return type(error).__name__, (str(error).strip() or type(error).__name__)[:300]


def _columns(rows: list) -> list:
    """The sheet by column. Text columns (most of a roster) travel as one string each: pickling
    1.8 million separate cells cost half a second on each side. XML cannot hold NUL, so it
    separates; a column holding one (from a binary .xls) travels as a list. Columns are taken by
    index rather than by zip(*rows): 0.8 s → 0.3 s on 400,000 rows, on the read's critical path."""
    packed = []
    for position in range(min(map(len, rows), default=0)):  # as zip: the shortest row's width
        column = list(map(itemgetter(position), rows))
        try:
            joined = "\x00".join(column)
        except TypeError:  # a number, a date, None: not all text
            packed.append(("cells", column))
            continue
        packed.append(("text", joined) if joined.count("\x00") == len(column) - 1 else ("cells", column))
    return packed


def main() -> None:
    request = pickle.load(sys.stdin.buffer)
    _limit(request["memory"], request["seconds"])
    data, wanted = request.pop("data"), request["wanted"]
    answer = {"sheets": [], "error": None}
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [str(name) for name in workbook.sheet_names]
    except BaseException as error:  # noqa: BLE001 - a panic is a BaseException
        answer["error"] = _error(error)
        names = []
    del data
    for name in names:
        if wanted is not None and name.strip().casefold() not in wanted:
            answer["sheets"].append((name, None, None))
            continue
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except BaseException as error:  # noqa: BLE001
            answer["sheets"].append((name, None, _error(error)))
            continue
        answer["sheets"].append((name, _columns(rows), None))
        del rows
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
