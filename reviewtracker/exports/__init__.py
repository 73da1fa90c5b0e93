"""The exports feature: one module per workbook, plus what they share.

Workbooks (columns, rows and sheets in one place): `consolidated` (with `consolidated_rows`, its Feedback sheet,
which the CSV reuses), `matrix` (the comment-resolution matrix a country gets), `revision_summary`, `csv_export`.
Shared: `params` (what an export covers, and its description), `queries` (which items, streamed), `lookups`
(what rows refer to, and coded labels in the export's language), `services` (write to a temp file, rename, record),
`views`, `forms`, `commands`. Generic sheet machinery (Column, Table, Formats) lives in `reviewtracker.spreadsheets`.
"""
