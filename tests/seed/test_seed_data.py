"""Checks on the project's own seed data files (reviewtracker/seed/data/*.yaml)."""

from pathlib import Path

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "reviewtracker" / "seed" / "data"
LANGS = ("en", "fr", "es")


def _load(name):
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def reference():
    return _load("reference.yaml")


@pytest.fixture(scope="module")
def guidance():
    return _load("guidance.yaml")


def _translatable_mappings(node, path="$"):
    """Yield (path, mapping) for every mapping that carries an 'en' key."""
    if isinstance(node, dict):
        if "en" in node:
            yield path, node
        for key, value in node.items():
            yield from _translatable_mappings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _translatable_mappings(value, f"{path}[{i}]")


def _walk_sections(sections, parent_code=None):
    """Yield (parent_code, section) for every section in the tree."""
    for section in sections:
        yield parent_code, section
        yield from _walk_sections(section.get("children") or [], section["code"])


def _documents(guidance):
    return {doc["code"]: doc for doc in guidance["documents"]}


def test_files_are_utf8_with_header_comment():
    for name in ("reference.yaml", "guidance.yaml"):
        text = (DATA_DIR / name).read_text(encoding="utf-8")
        assert text.startswith("# "), name


def test_objectives_numbered_1_to_23(reference):
    objectives = reference["objectives"]
    assert [o["number"] for o in objectives] == list(range(1, 24))
    for o in objectives:
        for key in ("short", "title"):
            assert set(o[key]) == set(LANGS), (o["number"], key)


def test_guiding_principles_a_to_j(reference):
    principles = reference["guiding_principles"]
    assert [p["letter"] for p in principles] == list("abcdefghij")


def test_reference_lists(reference):
    assert [a["code"] for a in reference["lead_agencies"]] == ["IOM", "OHCHR", "UNDP"]
    assert [c["code"] for c in reference["comment_types"]] == ["general", "substantive", "editorial"]
    assert [c["iso_code"] for c in reference["comment_types"]] == ["ge", "te", "ed"]
    assert len(reference["guiding_questions"]) == 3
    stakeholder_codes = [s["code"] for s in reference["stakeholder_types"]]
    assert len(stakeholder_codes) == len(set(stakeholder_codes)) == 14
    assert stakeholder_codes[-1] == "other"


def test_countries(reference):
    countries = reference["countries"]
    codes = [c["code"] for c in countries]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes)) == 31
    for c in countries:
        assert len(c["code"]) == 2 and c["code"].isupper()
        assert c["champion_since"] is None or isinstance(c["champion_since"], str)


@pytest.mark.parametrize("name", ["reference.yaml", "guidance.yaml"])
def test_translations_complete(name):
    found = list(_translatable_mappings(_load(name)))
    assert found
    for path, mapping in found:
        for lang in LANGS:
            value = mapping.get(lang)
            assert isinstance(value, str) and value.strip(), f"{name} {path}.{lang}"


def test_section_codes_unique_and_nested(guidance):
    seen = set()
    for doc in guidance["documents"]:
        assert doc["version_label"] == "Advanced draft"
        for parent, section in _walk_sections(doc["sections"]):
            code = section["code"]
            assert code not in seen, code
            seen.add(code)
            assert code.startswith(doc["code"] + "."), code
            if parent is not None:
                assert code.startswith(parent + "."), (parent, code)
            assert set(section["title"]) == set(LANGS), code


def test_booklet_has_23_objective_parts_with_5_children(guidance):
    booklet = _documents(guidance)["B"]
    parts = [s for s in booklet["sections"] if s["code"] != "B.0"]
    assert [s["code"] for s in parts] == [f"B.{n:02d}" for n in range(1, 24)]
    for part in parts:
        children = part.get("children") or []
        assert [c["code"] for c in children] == [f"{part['code']}.{i}" for i in range(1, 6)]


def test_booklet_titles_match_objective_labels(guidance, reference):
    booklet = _documents(guidance)["B"]
    parts = {s["code"]: s for s in booklet["sections"]}
    for o in reference["objectives"]:
        assert parts[f"B.{o['number']:02d}"]["title"]["en"] == f"Objective {o['number']}: {o['short']['en']}"


def test_guide_has_six_steps(guidance):
    guide = _documents(guidance)["G"]
    codes = {section["code"] for _, section in _walk_sections(guide["sections"])}
    for i in range(1, 7):
        assert f"G.2.{i}" in codes
