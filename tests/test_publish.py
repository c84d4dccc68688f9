"""`python -m scheduler publish WORKBOOK PLAN --out DIR`: the published documents, each read back from
the file written (PDF text with pypdf, pages rendered with pypdfium2, .docx with python-docx, the
workbooks' print setup with openpyxl), on the Lüeyang sample with a long school name, a name that
looks like a formula and a teacher with an ID number."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from docx import Document
from openpyxl import load_workbook

from scheduler.cli import main
from scheduler.domain.personal import check_digit, mask_id_number
from scheduler.domain.settings import settings_from
from scheduler.export import write_plan_workbook
from scheduler.model import solve
from scheduler.plan import Plan
from scheduler.publish.roster import notice_period
from scheduler.workbook import read_paths, write_case

REPO = Path(__file__).resolve().parents[1]
LONG = "略阳县西淮坝镇九年一贯制学校（原西淮坝镇中心小学与西淮坝镇初级中学合并办学）"
FORMULA = '=HYPERLINK("http://x.example")'
HEADER = ("序号", "姓名", "性别", "原单位", "交流单位", "学科", "职称", "骨干", "交流方式", "交流期限")


def _id_number(birth: date, male: bool) -> str:
    first17 = f"610799{birth:%Y%m%d}12{1 if male else 2}"
    return first17 + check_digit(first17)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("publish")
    case = read_paths([REPO / "sample_data" / "lueyang_county.xlsx"]).case
    plan = solve(case, settings_from(case.settings, time_limit_s=30))
    # 45 of the plan's placements (three pages of the list, 45 notices) keep the default run fast;
    # tests/test_publish_samples.py (slow) publishes every sample's whole plan.
    plan = Plan(sorted(plan.placements, key=lambda p: p.teacher_id)[:45], plan.status)
    assert len(plan.placements) == 45
    first, second = plan.placements[0], plan.placements[1]
    host = first.school_id
    schools = [s.model_copy(update={"name": LONG}) if s.school_id == host else s for s in case.schools]
    teacher = case.teacher(second.teacher_id)
    id_number = _id_number(teacher.birth_date or date(1985, 3, 1), teacher.gender is None or teacher.gender.value == "M")
    teachers = [t.model_copy(update={"name": FORMULA}) if t.teacher_id == first.teacher_id
                else t.model_copy(update={"id_number": id_number, "birth_date": t.birth_date or date(1985, 3, 1)})
                if t.teacher_id == second.teacher_id else t for t in case.teachers]
    case = case.model_copy(update={"schools": schools, "teachers": teachers})
    workbook, plan_file, out = folder / "case.xlsx", folder / "plan.xlsx", folder / "docs"
    small = folder / "small.xlsx"
    write_case(case, workbook)
    loaded = read_paths([workbook])
    assert loaded.case is not None, loaded.report.text("en")
    case = loaded.case
    write_plan_workbook(case, settings_from(case.settings), plan, plan_file)
    # the tests that publish again use a roster of only the four teachers a small plan sends (fast to read)
    few = Plan(plan.placements[:4], plan.status)
    kept = {p.teacher_id for p in few.placements}
    small_case = case.model_copy(update={
        "teachers": [t.model_copy(update={"spouse_id": None, "team_id": None}) for t in case.teachers
                     if t.teacher_id in kept],
        "pins": [p for p in case.pins if p.teacher_id in kept]})
    small_workbook = folder / "small_case.xlsx"
    write_case(small_case, small_workbook)
    write_plan_workbook(small_case, settings_from(case.settings), few, small)
    code = main(["publish", str(workbook), str(plan_file), "--out", str(out), "--date", "2027-06-01",
                 "--set", "发文单位=略阳县教育体育局"])
    assert code == 0
    return {"case": case, "plan": plan, "out": out, "workbook": workbook, "plan_file": plan_file, "small": small, "small_workbook": small_workbook,
            "id_number": id_number, "formula_teacher": first.teacher_id, "host": host}


def _pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _expected(published) -> list[tuple[str, str, str]]:
    case = published["case"]
    return [(case.teacher(p.teacher_id).name, case.school(case.teacher(p.teacher_id).school_id).name,
             case.school(p.school_id).name) for p in published["plan"].placements]


def test_the_notice_list_pdf_names_every_teacher_and_both_schools_whole(published):
    pages = _pages(published["out"] / "公示名单.pdf")
    assert len(pages) > 1
    assert "略阳县2026学年中小学教师交流轮岗人员名单（公示）" in _flat(pages[0])
    assert "略阳县教育体育局" in pages[0] and "2027年6月1日至2027年6月7日（5个工作日）" in _flat(pages[0])
    everything = _flat("".join(pages))
    for name, home, host in _expected(published):
        # whole, even a school name that wraps onto a second line in its cell
        assert _flat(name) in everything and home in everything and host in everything
    assert everything.count(LONG) >= 1
    assert "派出学校：略阳县第一中学" in everything
    assert "略阳县教育体育局（盖章）" in _flat(pages[-1])


def test_every_page_repeats_the_header_and_says_page_x_of_y(published):
    for document in ("公示名单.pdf", "指标2.11汇总.pdf"):
        pages = _pages(published["out"] / document)
        for number, text in enumerate(pages, start=1):
            assert f"第{number}页/共{len(pages)}页" in text
            assert "序号" in text
    for text in _pages(published["out"] / "公示名单.pdf"):
        flat = _flat(text)
        assert all(column in flat for column in HEADER)
        assert flat.index("序号") < flat.index("交流期限")


def test_the_pdfs_embed_their_font_and_draw_nothing_in_the_margins(published):
    for path in [published["out"] / "公示名单.pdf", published["out"] / "派遣通知书.pdf",
                 next((published["out"] / "接收名单").glob("*.pdf"))]:
        reader = pypdf.PdfReader(str(path))
        fonts = [font for page in reader.pages[:1] for font in page["/Resources"]["/Font"].values()]
        assert all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   for f in fonts if "/DescendantFonts" in f.get_object())
        page = pypdfium2.PdfDocument(str(path))[0]
        image = page.render(scale=1).to_pil().convert("L")
        width, height = image.size
        strip = int(width * 5 / 210) if width < height else int(height * 5 / 210)  # 5 mm
        for box in ((0, 0, strip, height), (width - strip, 0, width, height), (0, 0, width, strip),
                    (0, height - strip, width, height)):
            assert image.crop(box).getextrema()[0] > 250, (path.name, box)  # white: nothing cut off at an edge


def test_one_notice_per_teacher_one_page_each_in_pdf_and_docx(published):
    names = [name for name, _, _ in _expected(published)]
    pages = _pages(published["out"] / "派遣通知书.pdf")
    assert len(pages) == len(names)
    docx = Document(str(published["out"] / "派遣通知书.docx"))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "{" not in text and "｛" not in text
    assert sum(1 for p in docx.paragraphs if p.paragraph_format.page_break_before) == len(names) - 1
    rows = sorted(published["plan"].placements, key=lambda p: (published["case"].teacher(p.teacher_id).school_id,
                                                                p.start.ordinal, p.school_id, p.teacher_id))
    for page, placement in zip(pages, rows):
        teacher = published["case"].teacher(placement.teacher_id)
        flat = _flat(page)
        assert _flat(teacher.name) + "同志" in flat
        assert published["case"].school(placement.school_id).name in flat
        assert "略阳县教育体育局（盖章）" in flat and "2027年6月1日" in flat
    for name in names:
        assert name in text


def test_the_workbooks_print_like_the_pdf_and_guard_formulas(published):
    for name in ("公示名单.xlsx", "接收名单.xlsx", "指标2.11汇总.xlsx", "教师管理信息系统_交流轮岗.xlsx"):
        sheet = load_workbook(published["out"] / name).worksheets[0]
        assert sheet.print_title_rows, name
        assert sheet.page_setup.orientation == "landscape"
        # one page wide (OOXML's fitToWidth defaults to 1, so xlsxwriter leaves it out), as many pages down as it takes
        assert sheet.page_setup.fitToWidth in (1, None) and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.paperSize == 9  # A4
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    sheet = load_workbook(published["out"] / "公示名单.xlsx").worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + FORMULA in values and FORMULA not in values
    assert sheet.print_title_rows == "$3:$3"  # title, the 公示 sentence, then the header row
    assert [c.value for c in sheet[3]] == list(HEADER)
    receiving = load_workbook(published["out"] / "接收名单.xlsx").worksheets[0]
    assert len(receiving.row_breaks.brk) == len({p.school_id for p in published["plan"].placements}) - 1


def test_the_indicator_summary_counts_each_sending_school(published):
    sheet = load_workbook(published["out"] / "指标2.11汇总.xlsx").worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    header = [c.value for c in sheet[2]]
    assert header[4:7] == ["符合交流条件教师总数", "实际交流轮岗教师数", "实际交流骨干教师数"]
    total = next(r for r in rows if r[1] == "合计")
    assert total[5] == len(published["plan"].placements)
    case = published["case"]
    assert total[6] == sum(case.teacher(p.teacher_id).backbone for p in published["plan"].placements)
    first = next(r for r in rows if r[1] == "略阳县第一中学")
    assert first[7].endswith("%") and first[9] in ("是", "否")


def test_the_national_record_masks_the_id_number_everywhere(published):
    sheet = load_workbook(published["out"] / "教师管理信息系统_交流轮岗.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]  # the header in the first row, as an import sheet has it
    for column in ("交流轮岗类型", "是否调动人事关系", "开始年月", "结束年月", "原单位名称", "交流轮岗单位名称", "身份证件号"):
        assert column in header
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert sheet.max_row == 1 + len(published["plan"].placements)
    assert mask_id_number(published["id_number"]) in values
    assert "2026-09" in values and "2027-07" in values
    full = published["id_number"]
    for path in published["out"].rglob("*"):
        if path.suffix == ".pdf":
            assert full not in "".join(_pages(path))
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                assert all(full.encode() not in archive.read(n) for n in archive.namelist())


def test_an_unknown_template_field_is_named(published, tmp_path, capsys):
    template = tmp_path / "我的模板.docx"
    document = Document()
    document.add_paragraph("{姓名}同志：请于{报到日期}到{交流单位}报到。")
    document.save(str(template))
    code = main(["publish", str(published["small_workbook"]), str(published["small"]), "--out", str(tmp_path / "o"),
                 "--template", str(template)])
    assert code == 2
    err = capsys.readouterr().err
    assert "{报到日期}" in err and "我的模板.docx" in err and "{姓名}" in err  # the unknown one, and the known ones
    assert not (tmp_path / "o").exists()
    code = main(["--lang", "en", "publish", str(published["small_workbook"]), str(published["small"]), "--out",
                 str(tmp_path / "o"), "--template", str(template)])
    assert code == 2 and "unknown field(s) {报到日期}" in capsys.readouterr().err


def test_a_bureau_template_is_filled_even_where_word_split_a_field_into_runs(published, tmp_path):
    template = tmp_path / "t.docx"
    document = Document()
    paragraph = document.add_paragraph()
    for piece in ("兹派", "{姓", "名", "}", "同志到｛交流单位｝任教{学科}。"):
        paragraph.add_run(piece).bold = piece == "名"
    document.add_paragraph("{发文单位}　{日期}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "{姓名}", "{交流单位}"
    document.save(str(template))
    out = tmp_path / "o"
    assert main(["publish", str(published["small_workbook"]), str(published["small"]), "--out", str(out),
                 "--date", "2027-06-01", "--template", str(template)]) == 0
    filled = Document(str(out / "派遣通知书.docx"))
    texts = [p.text for p in filled.paragraphs]
    assert not any("{" in t or "｛" in t for t in texts)
    assert all(t.startswith("兹派") and "同志到" in t for t in texts[::2])
    assert texts[1] == "　2027年6月1日"  # no 发文单位 set: it prints empty
    cells = [cell.text for table in filled.tables for cell in table.rows[0].cells]
    assert len(filled.tables) == 4 and not any("{" in c for c in cells)
    pdf = _pages(out / "派遣通知书.pdf")
    assert len(pdf) == 4 and all(cells[2 * n + 1] in _flat(page) for n, page in enumerate(pdf))


def test_publish_never_overwrites_an_input_or_a_file_it_did_not_write(published, tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    foreign = out / "公示名单.pdf"
    foreign.write_bytes(b"%PDF-1.4 a county's own file")
    args = ["publish", str(published["small_workbook"]), str(published["small"]), "--out", str(out)]
    assert main(args) == 2
    assert "--force" in capsys.readouterr().err and foreign.read_bytes().startswith(b"%PDF-1.4 a county")
    assert main(args + ["--force"]) == 0
    assert main(args) == 0  # its own files are replaced on a re-run
    # a template kept in the output folder under a document's name is an input: never overwritten, --force or not
    template = out / "派遣通知书.docx"
    before = template.read_bytes()
    assert main(args + ["--template", str(template), "--force"]) == 2
    assert template.read_bytes() == before


def test_the_notice_period_counts_working_days():
    assert notice_period(date(2027, 6, 1), 5) == (date(2027, 6, 1), date(2027, 6, 7))  # Tuesday → Monday
    assert notice_period(date(2027, 6, 5), 5) == (date(2027, 6, 7), date(2027, 6, 11))  # a Saturday starts Monday
    assert notice_period(date(2027, 6, 7), 1) == (date(2027, 6, 7), date(2027, 6, 7))


def test_a_plan_that_does_not_match_the_workbook_publishes_nothing_and_names_the_rows(published, tmp_path, capsys):
    # the 45-placement plan against the roster of only four teachers: 41 rows name a teacher it lacks
    out = tmp_path / "o"
    assert main(["publish", str(published["small_workbook"]), str(published["plan_file"]), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "教师编号" in printed.out and "未发布" in printed.err
    assert not out.exists()


def test_without_a_cjk_font_the_message_names_the_install_command(monkeypatch):
    from scheduler.publish import fonts

    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.setenv("SCHEDULER_CJK_FONT", "/nonexistent/font.ttf")
    fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing) as raised:
            fonts.cjk_font()
        assert "apt-get install fonts-wqy-microhei" in raised.value.text.zh
        assert "apt-get install fonts-wqy-microhei" in raised.value.text.en
    finally:
        monkeypatch.undo()
        fonts.cjk_font.cache_clear()
    assert fonts.cjk_font() == fonts.FONT_NAME


def test_the_documents_as_one_zip_for_a_download(published):
    import io

    from scheduler.publish import published_zip
    from scheduler.workbook import read_paths as read
    from scheduler.export import read_plan

    loaded = read([published["small_workbook"]])
    settings = settings_from(loaded.case.settings)
    plan, report = read_plan(loaded.case, published["small"], settings)
    assert report.ok
    data, result = published_zip(loaded.case, settings, plan, date(2027, 6, 1))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "公示名单.pdf" in names and "派遣通知书.docx" in names and any(n.startswith("接收名单/") for n in names)
    assert result.placed == 4 and len(names) == len(result.files)


def test_a_cell_never_ends_a_line_with_an_opening_bracket_nor_starts_one_with_a_closing_one():
    from scheduler.publish.fonts import cjk_font
    from scheduler.publish.line_breaks import lines

    for width in range(40, 200, 7):
        broken = lines(LONG + "，共3人。", cjk_font(), 9.5, width)
        assert "".join(broken) == LONG + "，共3人。"
        assert not any(line.endswith("（") for line in broken[:-1])
        assert not any(line[:1] in "），。" for line in broken)
