"""A workbook of plain tables written straight as Office Open XML, row by row.

The plan workbook is tables only (a bold frozen header, an optional notes row, filters, column
widths, dates), hundreds of thousands of rows at province scale. xlsxwriter keeps every cell as a
Python object until it closes, at about 20 µs and 100 bytes a cell; here each row becomes its XML
text at once and goes to a temporary file, so a 400,000-teacher plan is written in seconds and
never held whole. The sheets look exactly as `xlsx.write_table` makes them with xlsxwriter (same
styles, widths, panes, filters); strings are stored inline (`t="inlineStr"`, as xlsxwriter's own
constant-memory mode does) rather than in a shared-strings part. Texts are neutralised against
formula injection as `xlsx.neutralised` does, and escaped as xlsxwriter escapes them.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from itertools import islice, zip_longest
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from xlsxwriter.theme import THEME_XML_2007
from xlsxwriter.utility import xl_col_to_name

from .xlsx import MAX_WIDTH, cell_value, neutralised

#: the string cells Excel holds at most (UTF-16 units), as xlsxwriter truncates them
_STRING_MAX = 32767
_FORMULA_FIRST = frozenset("'=+-@\t\r")
#: what needs escaping in a text: XML's own characters, control characters (written _xHHHH_ as
#: Excel does), a literal _xHHHH_ (its underscore escaped) and the two non-characters
_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("([\x00-\x08\x0b-\x1f])")
_BATCH = 2000  # rows joined into one write
#: texts remembered per sheet with their XML: names of schools, subjects, reasons repeat on most rows
_MEMO = 50_000
_PRESERVE = ' xml:space="preserve"'
_PLAIN_TEXT = frozenset({str, type(None)})
_NUMBERS = frozenset({int, float, type(None)})
_PLAIN = _PLAIN_TEXT | _NUMBERS
_SELECTED = ' tabSelected="1"'

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument."
#: the three cell styles of `xlsx.write_table` (1 header, 2 notes, 3 date), as xlsxwriter writes them
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '</numFmts><fonts count="3"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
    '<scheme val="minor"/></font><font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
    '<scheme val="minor"/></font><font><i/><sz val="11"/><color rgb="FF595959"/><name val="Calibri"/>'
    '<family val="2"/><scheme val="minor"/></font></fonts><fills count="4"><fill><patternFill patternType="none"/>'
    '</fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid">'
    '<fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill patternType="solid">'
    '<fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="2"><border>'
    '<left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color auto="1"/></left>'
    '<right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin">'
    '<color auto="1"/></bottom><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
    'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" '
    'applyFill="1" applyBorder="1"/><xf numFmtId="0" fontId="2" fillId="3" borderId="0" xfId="0" applyFont="1" '
    'applyFill="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
    'defaultPivotStyle="PivotStyleLight16"/></styleSheet>')
_HEADER, _NOTE, _DATE = 1, 2, 3


def _escaped(text: str) -> str:
    """As xlsxwriter puts a text in XML: &, <, > as entities, control characters as _xHHHH_."""
    if _SPECIAL.search(text) is None:
        return text
    text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_cells(values: Iterable[str], mask: Callable[[str], str] | None) -> Iterator[tuple[str, str, int]]:
    """Each (non-empty) text, its cell body (`<is>…</is>`) and the column width it asks for: masked
    when it may hold an ID number (15 characters or more), neutralised, truncated to Excel's limit,
    escaped. One loop for a batch's new texts: a million of them at province scale."""
    search, half = _SPECIAL.search, _STRING_MAX // 2
    for value in values:
        text = mask(value) if mask is not None and len(value) >= 15 else value
        if text[0] in _FORMULA_FIRST:
            text = neutralised(text)
        if len(text) > half:
            text = _truncated(text)
        space = _PRESERVE if text[0].isspace() or text[-1].isspace() else ""
        body = text if search(text) is None else _escaped(text)
        yield value, f"<is><t{space}>{body}</t></is>", _width(text)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _truncated(text: str) -> str:
    if len(text) <= _STRING_MAX // 2 or len(text.encode("utf-16-le")) // 2 <= _STRING_MAX:
        return text
    units = text.encode("utf-16-le")[:2 * _STRING_MAX]
    return units.decode("utf-16-le", errors="ignore")


_WIDE = re.compile("[\u2e81-\U0010ffff]")


def _width(text: str) -> int:
    """As `xlsx._width`: CJK characters (above U+2E80) take two columns in Excel's default font."""
    return len(text) + 2 if text.isascii() else len(text) + len(_WIDE.findall(text)) + 2


def _column_width(width: float) -> str:
    """xlsxwriter's `set_column` width as it writes it: through whole pixels of Calibri 11."""
    pixels = int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)
    return f"{(pixels * 256 // 7) / 256.0:.16g}"


_EPOCH = datetime(1899, 12, 31)


def _serial(day: date) -> float:
    """Excel's serial number of a date or a (naive) date and time, as xlsxwriter computes it."""
    if isinstance(day, datetime):
        if day.tzinfo is not None:
            raise TypeError("Excel doesn't support timezones in datetimes")
        delta = day - _EPOCH
    else:
        delta = datetime.fromordinal(day.toordinal()) - _EPOCH
    serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return serial + 1 if serial > 59 else serial  # Excel's 1900 is a leap year


def _number(value: Any) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise TypeError("NAN/INF not supported in a sheet")
    return f"{value:.16G}"


class Table:
    """One sheet: its rows as XML in a temporary file until the workbook is closed."""

    def __init__(self, name: str, columns: int):
        self.name = name
        self.columns = columns
        self.rows = tempfile.TemporaryFile()
        self.widths: list[int] = []
        self.first = 1  # rows above the data (the header, and the notes row when there is one)
        self.last = 0  # zero-based index of the last row written


class _Cells:
    """The XML of a sheet's rows, made a batch at a time column by column (one type check and one
    pass of a comprehension per column, not a dispatch per cell: 3 million cells at province scale),
    and the widths the columns ask for."""

    def __init__(self, letters: list[str], widths: list[int], mask: Callable[[str], str] | None, lang: str):
        self.letters, self.widths, self.mask, self.lang = letters, widths, mask, lang
        self.texts: dict[str, tuple[str, int]] = {}  # a text already written → its cell body and width

    def rows_xml(self, chunk: list[Sequence[Any]], first_line: int) -> str:
        lines = range(first_line, first_line + len(chunk))
        columns = [self._column(c, values, lines) for c, values in enumerate(zip_longest(*chunk))]
        rows = zip(*columns) if columns else [()] * len(chunk)  # rows of no cells are still rows
        return "".join([f'<row r="{line}">{"".join(row)}</row>' for line, row in zip(lines, rows)])

    def _column(self, column: int, values: Sequence[Any], lines: range) -> list[str]:
        letter = self.letters[column]
        kinds = set(map(type, values))
        if not kinds <= _PLAIN:
            # Booleans, terms, enums, lists: as a planner would type them, then by their type.
            values = [v if type(v) in _PLAIN else _plain(v, self.lang) for v in values]
            kinds = set(map(type, values))
        if kinds <= _PLAIN_TEXT:
            bodies = self._bodies(column, values)
            return [f'<c r="{letter}{line}" t="inlineStr">{body}</c>' if body else ""
                    for line, body in zip(lines, map(bodies.__getitem__, values))]
        if kinds <= _NUMBERS:
            numbers = [v for v in values if v is not None]
            if numbers:
                self.widths[column] = max(self.widths[column], max(len(str(v)) for v in numbers) + 1)
            return [f'<c r="{letter}{line}"><v>{_number(value)}</v></c>' if value is not None else ""
                    for line, value in zip(lines, values)]
        return [self._cell(column, letter, line, value) for line, value in zip(lines, values)]

    def _bodies(self, column: int, values: Iterable[str | None]) -> dict[str | None, str]:
        """Each distinct text's cell body ("" for an empty cell), its width counted in the column's."""
        bodies: dict[str | None, str] = {None: "", "": ""}
        texts, widest = self.texts, self.widths[column]
        new = []
        for value in set(values).difference(bodies):
            known = texts.get(value)
            if known is None:
                new.append(value)
                continue
            bodies[value], width = known
            if width > widest:
                widest = width
        room = _MEMO - len(texts)
        for value, body, width in _text_cells(new, self.mask):
            bodies[value] = body
            if room > 0:
                texts[value] = body, width
                room -= 1
            if width > widest:
                widest = width
        self.widths[column] = widest
        return bodies

    def _cell(self, column: int, letter: str, line: int, value: Any) -> str:
        """One cell of a column of mixed types (its values already plain)."""
        if value is None or value == "":
            return ""
        widths = self.widths
        if type(value) is str:
            return f'<c r="{letter}{line}" t="inlineStr">{self._bodies(column, (value,))[value]}</c>'
        if isinstance(value, date):
            widths[column] = max(widths[column], 11)
            return f'<c r="{letter}{line}" s="{_DATE}"><v>{_number(_serial(value))}</v></c>'
        widths[column] = max(widths[column], len(str(value)) + 1)
        return f'<c r="{letter}{line}"><v>{_number(value)}</v></c>'


def _plain(value: Any, lang: str) -> Any:
    """`xlsx.cell_value`, a str subclass (an enum) as its text."""
    value = cell_value(value, lang)
    return str.__str__(value) if isinstance(value, str) else value


class TableBook:
    """A workbook of tables (`add_table`), written to `target` by `close()`."""

    def __init__(self, target: str | Path | IO[bytes]):
        self.target = target
        self.tables: list[Table] = []

    def add_made(self, table: Table, at: int | None = None) -> None:
        """A table made elsewhere (`forked_table`), as the next sheet or the `at`-th (from 0)."""
        self.tables.insert(len(self.tables) if at is None else at, table)

    def add_table(self, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                  notes: Sequence[str] | None = None, lang: str = "zh",
                  text: Callable[[str], str] | None = None) -> None:
        """The sheet `xlsx.write_table` makes: a bold frozen header (and an optional row of notes),
        filters over it, widths fitted to the content up to `xlsx.MAX_WIDTH`. Each row's values are
        taken as `xlsx.cell_value` gives them; `text`, when given, is applied to every text (headers
        and notes included) before it is neutralised (the plan workbook masks ID numbers with it)."""
        table = Table(name, len(headers))
        self.tables.append(table)
        keep = text if text is not None else (lambda s: s)
        letters = [xl_col_to_name(c) for c in range(len(headers))]
        header_texts = [neutralised(keep(str(h))) for h in headers]
        widths = table.widths = [_width(h) for h in header_texts]
        head = [self._header_row(1, letters, header_texts, _HEADER)]
        if notes:
            head.append(self._header_row(2, letters, [neutralised(keep(str(n))) for n in notes], _NOTE))
            table.first = 2
        table.rows.write("".join(head).encode("utf-8"))

        cells = _Cells(letters, widths, text, lang)
        last = table.first - 1  # zero-based index of the last row written
        source = iter(rows)
        while chunk := list(islice(source, _BATCH)):
            table.rows.write(cells.rows_xml(chunk, last + 2).encode("utf-8"))
            last += len(chunk)
        table.last = last

    @staticmethod
    def _header_row(line: int, letters: list[str], texts: list[str], style: int) -> str:
        cells = "".join(f'<c r="{letters[c]}{line}" s="{style}" t="inlineStr"><is><t'
                        f'{_PRESERVE if text[0].isspace() or text[-1].isspace() else ""}>'
                        f'{_escaped(text)}</t></is></c>' for c, text in enumerate(texts) if text != "")
        return f'<row r="{line}">{cells}</row>'

    def close(self) -> None:
        target = str(self.target) if isinstance(self.target, Path) else self.target
        # Level 1: a province's 200 MB of sheet XML in a third of the time, for a file a fifth larger.
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            for position, table in enumerate(self.tables, start=1):
                with package.open(f"xl/worksheets/sheet{position}.xml", "w") as part:
                    part.write(self._sheet_start(table, position == 1).encode("utf-8"))
                    table.rows.seek(0)
                    shutil.copyfileobj(table.rows, part, 1 << 20)
                    part.write(self._sheet_end(table).encode("utf-8"))
                table.rows.close()
            package.writestr("[Content_Types].xml", self._content_types())
            package.writestr("_rels/.rels", _XML + f'<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
                             f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
            package.writestr("xl/workbook.xml", self._workbook())
            package.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            package.writestr("xl/styles.xml", _STYLES)
            package.writestr("xl/theme/theme1.xml", THEME_XML_2007)

    def _filter_ref(self, table: Table, absolute: bool = False) -> str | None:
        if not table.columns:
            return None
        sign = "$" if absolute else ""
        top, bottom = table.first, table.last + 1
        right = xl_col_to_name(table.columns - 1)
        first = f"{sign}A{sign}{top}"
        if top == bottom and table.columns == 1:
            return first
        return f"{first}:{sign}{right}{sign}{bottom}"

    def _sheet_start(self, table: Table, selected: bool) -> str:
        right = xl_col_to_name(max(table.columns, 1) - 1)
        bottom = max(table.last + 1, table.first)
        dimension = "A1" if (right, bottom) == ("A", 1) else f"A1:{right}{bottom}"
        cols = "".join(f'<col min="{c + 1}" max="{c + 1}" width="{_column_width(min(w, MAX_WIDTH))}" customWidth="1"/>'
                       for c, w in enumerate(table.widths))
        return (_XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{dimension}"/><sheetViews>'
                f'<sheetView{_SELECTED if selected else ""} workbookViewId="0"><pane ySplit="{table.first}" '
                f'topLeftCell="A{table.first + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
                f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")

    def _sheet_end(self, table: Table) -> str:
        ref = self._filter_ref(table)
        return ("</sheetData>" + (f'<autoFilter ref="{ref}"/>' if ref else "")
                + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')

    def _content_types(self) -> str:
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}spreadsheetml.'
                         f'worksheet+xml"/>' for n in range(1, len(self.tables) + 1))
        return (_XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}spreadsheetml.styles+xml"/>'
                f'<Override PartName="/xl/theme/theme1.xml" ContentType="{_TYPE}theme+xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}spreadsheetml.sheet.main+xml"/>'
                f"{sheets}</Types>")

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{_attribute(t.name)}" sheetId="{n}" r:id="rId{n}"/>'
                         for n, t in enumerate(self.tables, start=1))
        names = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
                        f"{_escaped(_quoted(t.name))}!{ref}</definedName>"
                        for n, t in enumerate(self.tables) if (ref := self._filter_ref(t, absolute=True)))
        return (_XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><fileVersion appName="xl" lastEdited="4" '
                'lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/><bookViews>'
                '<workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
                f"<sheets>{sheets}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')

    def _workbook_rels(self) -> str:
        count = len(self.tables)
        sheets = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                         for n in range(1, count + 1))
        return (_XML + f'<Relationships xmlns="{_PACKAGE_REL}">{sheets}'
                f'<Relationship Id="rId{count + 1}" Type="{_REL}/theme" Target="theme/theme1.xml"/>'
                f'<Relationship Id="rId{count + 2}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"
