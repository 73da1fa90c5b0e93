"""The spreadsheets/ extractor finds user-facing sentences, not Excel format codes."""

import io

from reviewtracker.catalogues import extract_plain_messages

SOURCE = b"""
def formats(workbook):
    workbook.add_format({"valign": "top", "num_format": "yyyy-mm-dd hh:mm"})
    raise SpreadsheetError("The column {column} is missing.")
"""


def test_number_formats_are_not_messages_but_sentences_are():
    found = [text for _line, _func, text, _comments in extract_plain_messages(io.BytesIO(SOURCE), [], [], {})]
    assert found == ["The column {column} is missing."]
