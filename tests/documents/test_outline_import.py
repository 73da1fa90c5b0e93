"""Outline import: preview first (nothing written), confirm applies it in one go; row/column errors; export."""

from __future__ import annotations

import io
import re

import yaml
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from reviewtracker.documents.outline import tree_order
from reviewtracker.extensions import db
from reviewtracker.models import Activity, DocumentVersion, Section
from tests.factories import create_feedback, create_round, create_user, get_section, get_version

HEADERS = ["Code", "Parent code", "Title (English)", "Title (French)", "Title (Spanish)"]


def _xlsx(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, version, content: bytes, name: str, mode: str = "extend"):
    return client.post(
        f"/admin/versions/{version.id}/outline/import",
        data={"file": (io.BytesIO(content), name), "mode": mode},
        content_type="multipart/form-data",
    )


def _token(response) -> str:
    match = re.search(r'name="token" value="([0-9a-f]+)"', response.get_data(as_text=True))
    assert match, "the preview offers a confirmation"
    return match.group(1)


def _section_count(version) -> int:
    return db.session.scalar(select(func.count(Section.id)).where(Section.version_id == version.id))


def _empty_version(code: str = "G") -> DocumentVersion:
    source = get_version(code)
    version = DocumentVersion(document=source.document, number=5, label="Blank")
    db.session.add(version)
    db.session.commit()
    return version


def test_yaml_extend_preview_then_confirm(app, client, admin):
    version = get_version("G")
    before = _section_count(version)
    outline = [
        {
            "code": "G.2",
            "title": {"en": "Six steps", "fr": "Six étapes", "es": "Seis pasos"},
            "children": [
                {"code": "G.2.7", "title": {"en": "Step 7: Celebrate", "fr": "Étape 7", "es": "Paso 7"}},
            ],
        },
    ]
    preview = _upload(client, version, yaml.safe_dump(outline, allow_unicode=True).encode(), "outline.yaml")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "1 sections to add" in page and "Step 7: Celebrate" in page
    assert "1 sections to rename" in page and "Six steps" in page
    assert _section_count(version) == before  # nothing written yet
    done = client.post(f"/admin/versions/{version.id}/outline/confirm", data={"token": _token(preview)})
    assert done.status_code == 302
    assert _section_count(version) == before + 1
    assert get_section("G.2").title_en == "Six steps"
    new = get_section("G.2.7")
    assert new.parent.code == "G.2" and new.position == 7
    entry = db.session.scalar(select(Activity).where(Activity.action == "outline.import"))
    assert entry.after["added"] == 1 and len(entry.after["sha256"]) == 64
    again = client.post(f"/admin/versions/{version.id}/outline/confirm", data={"token": _token(preview)})
    assert again.status_code == 302 and _section_count(version) == before + 1  # the preview is used once


def test_yaml_errors_name_the_node_and_write_nothing(app, client, admin):
    version = get_version("G")
    before = _section_count(version)
    outline = [
        {
            "code": "G.2",
            "title": {"en": "Six steps"},
            "children": [
                {"code": "G.2.1", "title": {"en": "Duplicate of an existing code in the file"}},
                {"code": "G.2.1", "title": {"en": "Twice"}},
                {"code": "g-bad", "title": {"en": "Bad code"}},
                {"code": "G.2.8", "title": {"fr": "Sans anglais"}},
                {"code": "G.2.9", "title": {"en": "x" * 301}},
            ],
        },
    ]
    response = _upload(client, version, yaml.safe_dump(outline).encode(), "outline.yml")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Node G.2 › G.2.1, code: The code G.2.1 appears twice." in page
    assert "Node G.2 › g-bad, code: The code G-BAD is not valid" in page
    assert "Node G.2 › G.2.8, title.en: The English title is required." in page
    assert "Node G.2 › G.2.9, title.en: The title is longer than 300 characters." in page
    assert 'name="token"' not in page
    assert _section_count(version) == before


def test_yaml_seed_shape_and_broken_files(app, client, admin):
    version = _empty_version("B")
    seed = app.root_path + "/seed/data/guidance.yaml"
    with open(seed, "rb") as handle:
        preview = _upload(client, version, handle.read(), "guidance.yaml", mode="replace")
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    client.post(f"/admin/versions/{version.id}/outline/confirm", data={"token": _token(preview)})
    assert [(s.code, d) for s, d in tree_order(version)] == [(s.code, d) for s, d in tree_order(get_version("B"))]
    broken = _upload(client, version, b"- code: [unclosed", "x.yaml")
    assert broken.status_code == 400 and "not valid YAML" in broken.get_data(as_text=True)
    number = _upload(client, version, b"- code: 1.10\n  title: {en: One}\n", "x.yaml")
    assert "Put the code in quotes" in number.get_data(as_text=True)


def test_excel_extend_preview_then_confirm(app, client, admin):
    version = get_version("G")
    content = _xlsx(
        [
            ["G.2", None, "A six-step process for GCM implementation", None, None],
            ["G.2.7", "G.2", "Step 7: Share", "Étape 7 : Partager", "Paso 7: Compartir"],
            ["G.2.7.1", "G.2.7", "Sharing tools", None, None],
        ]
    )
    preview = _upload(client, version, content, "outline.xlsx")
    assert preview.status_code == 200, preview.get_data(as_text=True)[-3000:]
    assert "2 sections to add" in preview.get_data(as_text=True)
    assert get_section("G.2.7") is None
    client.post(f"/admin/versions/{version.id}/outline/confirm", data={"token": _token(preview)})
    assert get_section("G.2.7.1").parent.code == "G.2.7"
    assert get_section("G.2.7").title_es == "Paso 7: Compartir"


def test_excel_errors_name_row_and_column_and_write_nothing(app, client, admin):
    version = get_version("G")
    before = _section_count(version)
    content = _xlsx(
        [
            ["G.2.7", "G.2", "Fine", None, None],  # row 2
            ["G.2.7", "G.2", "Twice", None, None],  # row 3
            ["G.2.8", "G.2", None, "Sans anglais", None],  # row 4
            ["G..8", "G.2", "Bad code", None, None],  # row 5
            ["G.2.9", "G.2", "y" * 301, None, None],  # row 6
            ["G.9.1", "G.9", "Orphan", None, None],  # row 7
        ]
    )
    response = _upload(client, version, content, "outline.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Row 3, Code: The code G.2.7 appears twice." in page
    assert "Row 4, Title (English): The English title is required." in page
    assert "Row 5, Code: The code G..8 is not valid" in page
    assert "Row 6, Title (English): The title is longer than 300 characters." in page
    assert "Row 7, Parent code: &#39;G.9&#39; is not in the outline" in page
    assert _section_count(version) == before


def test_excel_reader_problems_are_reported(app, client, admin):
    version = get_version("G")
    missing_column = _xlsx([["G.2.7", "G.2", "Title"]], headers=HEADERS[:3])
    page = _upload(client, version, missing_column, "outline.xlsx").get_data(as_text=True)
    assert "The column Title (French) is missing." in page
    numeric = _xlsx([[1.1, None, "Number code", None, None]])
    page = _upload(client, version, numeric, "outline.xlsx").get_data(as_text=True)
    assert "Row 2, Code:" in page and "format the column as Text" in page
    page = _upload(client, version, b"a,b,c\n", "outline.csv").get_data(as_text=True)
    assert "Only Excel .xlsx files are accepted." in page or "CSV files are not accepted" in page


def test_replace_is_refused_when_feedback_exists(app, client, admin):
    version = get_version("G")
    create_feedback(create_user("contributor", "KE"), create_round(), section="G.2.1")
    content = _xlsx([["G.1", None, "Only this", None, None]])
    response = _upload(client, version, content, "outline.xlsx", mode="replace")
    assert response.status_code == 400
    assert "use &#39;extend&#39;, not &#39;replace&#39;" in response.get_data(as_text=True)
    assert get_section("G.2.1") is not None


def test_replace_rebuilds_the_tree_without_feedback(app, client, admin):
    version = _empty_version("G")
    client.post(f"/admin/versions/{version.id}/sections", data={"code": "G.OLD", "title_en": "Old"})
    client.post(f"/admin/versions/{version.id}/sections", data={"code": "G.KEEP", "title_en": "Keep"})
    content = _xlsx(
        [
            ["G.NEW", None, "New top", None, None],
            ["G.KEEP", "G.NEW", "Kept, moved under the new one", None, None],
        ]
    )
    preview = _upload(client, version, content, "outline.xlsx", mode="replace")
    page = preview.get_data(as_text=True)
    assert "1 sections to remove" in page and "G.OLD" in page and "1 sections to move" in page
    client.post(f"/admin/versions/{version.id}/outline/confirm", data={"token": _token(preview)})
    tree = [(s.code, d, s.position) for s, d in tree_order(version)]
    assert tree == [("G.NEW", 0, 1), ("G.KEEP", 1, 1)]


def test_confirm_without_the_sessions_token_does_nothing(app, client, admin):
    version = get_version("G")
    before = _section_count(version)
    preview = _upload(client, version, _xlsx([["G.2.7", "G.2", "Step 7", None, None]]), "outline.xlsx")
    assert _token(preview)
    forged = client.post(f"/admin/versions/{version.id}/outline/confirm", data={"token": "0" * 32})
    assert forged.status_code == 302 and "/outline/import" in forged.headers["Location"]
    other_version = get_version("B")
    wrong = client.post(f"/admin/versions/{other_version.id}/outline/confirm", data={"token": _token(preview)})
    assert wrong.status_code == 302 and _section_count(version) == before


def test_export_is_a_template_that_imports_back_unchanged(app, client, admin):
    version = get_version("B")
    response = client.get(f"/admin/versions/{version.id}/outline.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[1][0] == "B.0" and len(rows) - 1 == _section_count(version)
    again = _upload(client, version, response.data, "export.xlsx")
    assert "The file matches the current outline" in again.get_data(as_text=True)


def test_yaml_anchor_cycles_and_non_text_are_refused_cleanly(app, client, admin):
    version = get_version("G")
    before = _section_count(version)
    looping = b"- &loop\n  code: G.9\n  title: {en: Loop}\n  children: [*loop]\n"
    response = _upload(client, version, looping, "loop.yaml")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "nested more than 12 levels deep" in page
    assert "The code G.9 appears twice." in page
    binary = _upload(client, version, b"\xff\xfe\x00bad", "bad.yaml")
    assert binary.status_code == 400 and "not UTF-8 text" in binary.get_data(as_text=True)
    scalar = _upload(client, version, b"just a string", "scalar.yaml")
    assert "Expected a list of sections" in scalar.get_data(as_text=True)
    assert _section_count(version) == before
