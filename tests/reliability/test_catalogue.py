"""Every line of ../shared/RELIABILITY.md maps to the tests that cover it; mapped tests must exist.

CATALOGUE: (quote from RELIABILITY.md, [test node ids]). A quote must appear in the document, and every item
of the document (a bullet, or one ";"-separated entry of a "**Heading:**" paragraph) must contain a quote.
An empty list marks a line whose test is still owed: test_no_line_is_left_without_a_test names it.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT.parent / "shared" / "RELIABILITY.md"

R = "tests/reliability"
SPREAD = "tests/test_spreadsheets.py"
HOSTILE = "tests/feedback_import/test_hostile.py"
LOGIN = "tests/auth/test_login.py"

# Lines whose feature is the work of an open issue (the number): they have no test until it lands.
OWED: dict[str, int] = {
    "scripts and `javascript:` links inside a `.docx`": 12,  # the guidance text from Word
    "a worker killed mid-task": 14,  # the task queue
    "the task shows as failed and can run again": 14,
    "the mail relay down": 14,
}

CATALOGUE: list[tuple[str, list[str]]] = [
    # --- Traps in the default stack
    (
        "reads a formula cell with no cached value as NaN",
        [
            f"{R}/test_traps.py::test_pandas_reads_an_uncached_formula_as_nan_but_the_importer_refuses_it",
            f"{SPREAD}::test_formula_and_error_cells_are_refused_naming_the_cell",
            f"{HOSTILE}::test_formulas_are_refused_naming_the_cell",
        ],
    ),
    (
        "openpyxl raises `IllegalCharacterError`",
        [
            f"{R}/test_traps.py::test_openpyxl_refuses_control_characters_but_sanitised_cells_always_save",
            f"{SPREAD}::test_long_text_is_cut_at_a_character_boundary_with_a_marker",
            f"{SPREAD}::test_sanitized_text_is_never_a_formula_nor_illegal_nor_too_long",
        ],
    ),
    (
        "writes any string that starts with `=` as a live formula",
        [
            f"{R}/test_traps.py::test_openpyxl_writes_a_leading_equals_as_a_live_formula_but_write_row_writes_text",
            f"{SPREAD}::test_formula_payloads_are_neutralised",
        ],
    ),
    (
        "SQLite ignores `VARCHAR(n)` and stores NUL bytes",
        [
            f"{R}/test_traps.py::test_varchar_and_nul_trap_differs_by_backend",
            f"{R}/test_traps.py::test_the_input_policy_is_the_same_on_both_databases",
            f"{R}/test_unicode.py::test_nul_in_a_form_is_shown_on_its_field_and_nothing_is_written",
            f"{R}/test_unicode.py::test_nul_in_a_query_string_is_refused_with_a_message",
        ],
    ),
    (
        "SQLite foreign keys are off by default",
        [
            f"{R}/test_traps.py::test_sqlite_connections_have_foreign_keys_wal_and_a_busy_timeout",
            f"{R}/test_traps.py::test_feedback_parents_are_restrict_in_the_schema",
            f"{R}/test_traps.py::test_deleting_a_user_or_section_with_feedback_is_refused",
            f"{R}/test_backups.py::test_upgrade_backs_up_a_sqlite_database_first",
        ],
    ),
    (
        "Copying a live SQLite file in WAL mode",
        [
            f"{R}/test_backups.py::test_wal_file_copy_misses_committed_rows_but_the_backup_api_does_not",
            f"{R}/test_backups.py::test_backup_then_restore_gives_back_every_row",
        ],
    ),
    (
        "An export written straight to its final path",
        [
            f"{R}/test_faults.py::test_a_process_killed_mid_export_leaves_the_previous_export",
            f"{SPREAD}::test_a_failed_write_keeps_the_previous_export_byte_identical",
            "tests/exports/test_views.py::test_interrupted_export_keeps_the_previous_file",
        ],
    ),
    (
        "default signed-cookie session cannot be revoked",
        [
            f"{LOGIN}::test_logout_kills_a_copied_session_cookie",
            f"{R}/test_sessions.py::test_deactivation_ends_every_session_of_the_user",
        ],
    ),
    (
        "in-memory storage is per process",
        [
            "tests/production/test_gunicorn.py::test_login_brute_force_is_limited_across_both_workers",
            "tests/production/test_config.py::test_redis_url_becomes_the_shared_rate_limit_storage",
        ],
    ),
    (
        "turns code-like text such as `1.10` into the number 1.1",
        [
            f"{R}/test_traps.py::test_pandas_turns_code_like_text_into_numbers_but_the_reader_reports_it",
            f"{SPREAD}::test_codes_stored_as_numbers_are_reported_not_merged",
            f"{HOSTILE}::test_a_code_typed_as_a_number_is_reported_not_merged",
        ],
    ),
    (
        "A leading apostrophe written as part of the text",
        [
            "tests/feedback_import/test_roundtrip_text.py::test_an_untouched_round_trip_file_imports_with_no_change",
            "tests/feedback_import/test_roundtrip_text.py::test_exported_risky_text_is_quote_prefixed_text_with_no_apostrophe",
            f"{SPREAD}::test_risky_text_is_written_as_quote_prefixed_text_without_an_apostrophe",
        ],
    ),
    (
        "XlsxWriter also turns URL-like text into hyperlinks",
        [
            f"{R}/test_traps.py::test_xlsxwriter_workbooks_never_turn_text_into_links_or_formulas",
        ],
    ),
    (
        "`version_id_col` stops lost updates on both databases",
        [
            f"{R}/test_traps.py::test_version_id_col_stops_a_lost_update_on_this_backend",
            f"{R}/test_traps.py::test_a_bulk_update_bypasses_the_version_check",
        ],
    ),
    # --- Uploads
    ("larger than the limit", [f"{HOSTILE}::test_over_the_size_limit_gets_the_form_again_with_a_friendly_413"]),
    (
        "a CSV, HTML, empty or old `.xls` file renamed `.xlsx`",
        [
            f"{HOSTILE}::test_other_files_renamed_xlsx_are_refused",
            f"{SPREAD}::test_other_files_renamed_xlsx_are_named_in_the_message",
            f"{SPREAD}::test_empty_file_is_refused",
        ],
    ),
    ("a zip bomb", [f"{HOSTILE}::test_zip_bomb_is_refused", f"{SPREAD}::test_too_many_zip_entries_are_refused"]),
    ("an XML entity bomb", [f"{HOSTILE}::test_xml_entity_bomb_is_refused"]),
    (
        "formulas and external links",
        [
            f"{HOSTILE}::test_formulas_are_refused_naming_the_cell",
            f"{HOSTILE}::test_external_links_are_refused",
        ],
    ),
    (
        "macros (`.xlsm`, `.docm`, a macro-enabled file renamed)",
        [
            f"{HOSTILE}::test_macros_inside_an_xlsx_are_refused",
            f"{SPREAD}::test_macro_enabled_workbook_renamed_xlsx_is_refused",
        ],
    ),
    ("unknown section codes", [f"{HOSTILE}::test_unknown_codes_and_values_are_named_with_row_and_column"]),
    (
        "another country's rows",
        [
            f"{HOSTILE}::test_ids_of_another_country_or_unknown_are_row_errors",
            f"{HOSTILE}::test_an_organisation_of_another_country_is_refused",
        ],
    ),
    (
        "missing, renamed or extra columns",
        [
            f"{HOSTILE}::test_missing_renamed_and_extra_columns_are_named",
            f"{HOSTILE}::test_headings_on_the_wrong_row_are_reported",
            f"{HOSTILE}::test_a_million_empty_rows_are_read_quickly",
        ],
    ),
    ("the same file twice", [f"{HOSTILE}::test_the_same_file_twice_creates_nothing_the_second_time"]),
    ("a hostile file name", [f"{HOSTILE}::test_hostile_file_names_are_never_paths_and_shown_as_text"]),
    # --- Submission and triage
    (
        "double-click or retried POST",
        [
            "tests/feedback/test_services.py::test_retried_post_creates_exactly_one_item",
            "tests/feedback/test_views.py::test_extra_fields_are_ignored_and_retries_create_one_item",
        ],
    ),
    (
        "two co-leads saving the same item",
        [
            "tests/triage/test_views.py::test_status_change_and_stale_save_gives_conflict_page",
            "tests/triage/test_services.py::test_stale_version_raises_conflict_and_changes_nothing",
            "tests/feedback/test_views.py::test_stale_edit_shows_both_versions_with_409",
            f"{R}/test_races.py::test_co_leads_saving_one_revision_item_at_once_get_one_save_and_conflict_pages",
            f"{R}/test_races.py::test_parallel_api_status_changes_give_one_change_and_json_conflicts",
        ],
    ),
    (
        "the same previewed file confirmed by 3 sessions at once",
        [
            "tests/feedback_import/test_import_race.py::test_three_sessions_confirming_the_same_file_at_once_make_one_import"
        ],
    ),
    (
        "the same single-use link redeemed by 8 clients at once",
        [
            f"{R}/test_races.py::test_an_invitation_link_redeemed_by_eight_clients_at_once_works_once",
            f"{R}/test_races.py::test_a_reset_link_redeemed_by_eight_clients_at_once_works_once",
        ],
    ),
    (
        "Building the conflict message first raises `PendingRollbackError`",
        [
            f"{R}/test_races.py::test_parallel_submit_buttons_on_one_draft_give_one_submission_and_no_500",
            f"{R}/test_races.py::test_parallel_api_submits_of_one_draft_give_one_submission_and_json_conflicts",
            f"{R}/test_races.py::test_co_leads_saving_one_revision_item_at_once_get_one_save_and_conflict_pages",
            f"{R}/test_db_errors.py::test_an_integrity_error_is_a_409_conflict_not_an_outage",
        ],
    ),
    (
        "An error handler that needs the database (to find the user's language, say) fails when the database is down",
        [
            f"{R}/test_db_errors.py::test_database_down_before_the_user_is_loaded_gives_a_503_with_incident_and_typed_text",
            f"{R}/test_db_errors.py::test_database_down_mid_request_keeps_the_users_language_without_a_query",
        ],
    ),
    (
        "XlsxWriter reports disk full as its own `FileCreateError`",
        [
            "tests/exports/test_export_faults.py::test_disk_full_inside_xlsxwriter_gives_the_csv_message_and_keeps_the_previous_export",
        ],
    ),
    (
        "`str.isdigit()` is true for `²`, `¹` and other digits that `int()` refuses",
        [
            f"{R}/test_malformed_numbers.py::test_bad_numbers_are_refused_cleanly",
            f"{R}/test_malformed_numbers.py::test_every_id_in_a_url_path_is_a_404",
            f"{R}/test_malformed_numbers.py::test_a_signed_in_user_gets_a_404_for_an_id_no_row_can_have",
            f"{R}/test_malformed_numbers.py::test_import_preview_names_the_row_and_column_of_a_bad_objective",
            f"{R}/test_malformed_numbers.py::test_import_preview_names_the_row_of_a_bad_row_version",
            f"{R}/test_malformed_numbers.py::test_cli_import_round_is_a_usage_error_not_a_traceback",
        ],
    ),
    (
        "A check that reads then writes",
        [
            f"{R}/test_races.py::test_an_invitation_link_redeemed_by_eight_clients_at_once_works_once",
            f"{R}/test_races.py::test_parallel_submit_buttons_on_one_draft_give_one_submission_and_no_500",
        ],
    ),
    (
        "an illegal status change",
        [
            "tests/triage/test_views.py::test_illegal_move_is_refused",
            "tests/triage/test_services.py::test_illegal_move_is_refused_with_the_reason",
        ],
    ),
    (
        "extra form fields such as `country_id`",
        [
            "tests/feedback/test_views.py::test_extra_fields_are_ignored_and_retries_create_one_item",
        ],
    ),
    (
        "deleting (soft, with an activity row)",
        [
            "tests/feedback_import/test_history_and_cli.py::test_undo_soft_deletes_the_drafts_and_allows_the_file_again",
            "tests/consolidation/test_services.py::test_forward_return_merge_withdraw",
        ],
    ),
    # --- Access
    (
        "a user of country B reading, editing or exporting country A's feedback",
        [
            "tests/test_permissions.py::test_route_permissions",
            "tests/feedback/test_views.py::test_other_country_gets_404_by_url_and_nothing_by_filter",
            "tests/exports/test_views.py::test_other_country_ids_in_filters_never_leak",
            "tests/api/test_api_behaviour.py::test_country_token_never_sees_another_country",
        ],
    ),
    (
        "a contributor or focal point calling triage or admin routes",
        [
            "tests/test_permissions.py::test_route_permissions",
            "tests/admin/test_reference_and_activity.py::test_contributor_gets_403_on_admin_pages",
        ],
    ),
    (
        "anonymous access to anything but login",
        [
            f"{R}/test_access.py::test_anonymous_is_sent_to_the_login_page",
            "tests/test_permissions.py::test_every_route_is_in_the_table",
        ],
    ),
    (
        "guessing export file URLs",
        [
            f"{R}/test_access.py::test_guessing_export_file_urls_gets_nothing",
            "tests/test_permissions.py::test_route_permissions",
        ],
    ),
    # --- Injection and encoding
    (
        "`<script>` and `onerror=` payloads in every field",
        [
            f"{R}/test_injection.py::test_markup_in_a_name_is_shown_as_text_on_every_page_that_shows_it",
            f"{R}/test_injection.py::test_markup_in_a_flash_message_is_shown_as_text",
            f"{R}/test_injection.py::test_markup_typed_into_a_failed_form_comes_back_escaped",
            "tests/admin/test_reference_and_activity.py::test_activity_filters_and_safe_rendering",
            f"{HOSTILE}::test_hostile_file_names_are_never_paths_and_shown_as_text",
        ],
    ),
    (
        "a Content-Security-Policy",
        [
            f"{R}/test_injection.py::test_every_page_and_error_page_sends_the_csp",
            f"{R}/test_injection.py::test_every_page_satisfies_the_csp_without_inline_script_or_style",
            f"{LOGIN}::test_security_headers_and_csp",
            "tests/dashboard/test_figures.py::test_figures_are_readable_without_colour_and_without_inline_styles",
        ],
    ),
    (
        "formula payloads `=HYPERLINK(...)`",
        [
            f"{SPREAD}::test_formula_payloads_are_neutralised",
            "tests/exports/test_properties.py::test_user_text_never_becomes_a_formula",
            "tests/exports/test_workbooks.py::test_text_cells_are_sanitised",
        ],
    ),
    (
        "SQL in sort and filter parameters",
        [
            "tests/triage/test_views.py::test_unknown_sort_key_is_400",
            "tests/triage/test_views.py::test_sql_like_search_is_harmless",
            "tests/dashboard/test_figures.py::test_bad_parameters",
            f"{R}/test_injection.py::test_sql_in_the_login_form_is_just_a_wrong_password",
        ],
    ),
    ("`{{7*7}}` rendered literally", [f"{R}/test_injection.py::test_template_syntax_in_user_text_is_not_evaluated"]),
    (
        "CR/LF and quotes in download names",
        [
            f"{R}/test_injection.py::test_cr_lf_and_quotes_in_download_names_cannot_split_or_spoof_headers",
            f"{SPREAD}::test_download_names_are_safe_for_headers_and_file_systems",
            f"{HOSTILE}::test_cr_lf_and_quotes_never_reach_the_stored_name",
        ],
    ),
    # --- Unicode and size
    (
        "Arabic and mixed right-to-left text",
        [
            f"{R}/test_unicode.py::test_arabic_and_mixed_text_round_trips_with_dir_auto",
            "tests/feedback/test_unicode_property.py::test_arbitrary_unicode_through_the_form",
        ],
    ),
    (
        "bidi control characters",
        [
            f"{R}/test_unicode.py::test_emoji_and_bidi_marks_survive",
            f"{SPREAD}::test_normalize_text_keeps_bidi_marks_and_tabs_and_composes_accents",
        ],
    ),
    (
        "a required text made only of invisible characters",
        [
            "tests/feedback_import/test_invisible_text.py::test_the_online_form_refuses_an_invisible_comment_on_the_comment_field",
            "tests/feedback_import/test_invisible_text.py::test_the_api_refuses_an_invisible_comment_naming_the_field",
            "tests/feedback_import/test_invisible_text.py::test_the_import_refuses_an_invisible_comment_with_its_row_and_column",
        ],
    ),
    (
        "combining characters (normalise to NFC)",
        [f"{R}/test_unicode.py::test_combining_characters_are_stored_composed"],
    ),
    ("emoji", [f"{R}/test_unicode.py::test_emoji_and_bidi_marks_survive"]),
    (
        "NUL and other control characters",
        [
            f"{R}/test_unicode.py::test_nul_in_a_form_is_shown_on_its_field_and_nothing_is_written",
            f"{R}/test_unicode.py::test_nul_in_a_query_string_is_refused_with_a_message",
            f"{R}/test_unicode.py::test_control_characters_are_stripped",
            "tests/feedback/test_views.py::test_submit_button_submits_and_control_characters_are_reported",
        ],
    ),
    (
        "10,000+ character comments",
        [
            f"{R}/test_traps.py::test_the_input_policy_is_the_same_on_both_databases",
            f"{R}/test_unicode.py::test_the_name_limit_is_enforced_before_the_database",
        ],
    ),
    # --- Sessions
    (
        "brute force on login",
        [
            f"{LOGIN}::test_login_brute_force_is_rate_limited_per_account",
            "tests/production/test_gunicorn.py::test_login_brute_force_is_limited_across_both_workers",
            "tests/production/test_config.py::test_without_trusted_proxies_forwarded_headers_are_ignored",
        ],
    ),
    ("session id changes at login", [f"{R}/test_sessions.py::test_the_session_is_renewed_at_login"]),
    (
        "logout and password change kill the session",
        [
            f"{LOGIN}::test_logout_kills_a_copied_session_cookie",
            f"{LOGIN}::test_password_change_ends_every_session",
            f"{R}/test_sessions.py::test_deactivation_ends_every_session_of_the_user",
            f"{R}/test_sessions.py::test_absolute_timeout_ends_an_active_session",
            f"{LOGIN}::test_idle_session_times_out",
        ],
    ),
    (
        "reset and invitation tokens single-use and expiring",
        [
            f"{LOGIN}::test_invitation_link_is_single_use_and_expires",
            "tests/admin/test_users.py::test_new_link_for_an_existing_user_is_a_reset_link_and_the_old_one_dies",
        ],
    ),
    ("`?next=https://elsewhere` ignored", [f"{LOGIN}::test_next_parameter_cannot_leave_the_site"]),
    (
        "secure cookie flags and security headers in production configuration",
        [
            "tests/production/test_config.py::test_session_cookie_is_host_prefixed_secure_and_httponly",
            "tests/production/test_config.py::test_hsts_only_over_https",
            "tests/production/test_config.py::test_production_refuses_to_start_without_its_secrets",
        ],
    ),
    # --- Faults
    (
        "database down mid-request",
        [
            f"{R}/test_faults.py::test_database_down_mid_request_gives_503_keeps_the_text_and_writes_nothing",
            f"{R}/test_faults.py::test_a_failed_login_commit_leaves_no_half_written_activity",
            f"{R}/test_faults.py::test_an_unreachable_database_gives_503_not_a_trace",
            f"{R}/test_db_errors.py::test_database_down_before_the_user_is_loaded_gives_a_503_with_incident_and_typed_text",
            f"{R}/test_db_errors.py::test_database_down_mid_request_keeps_the_users_language_without_a_query",
        ],
    ),
    ("PostgreSQL restarted between requests", [f"{R}/test_faults.py::test_postgresql_restarted_between_requests"]),
    (
        'SQLite "database is locked"',
        [
            f"{R}/test_faults.py::test_sqlite_locked_by_another_writer_waits_instead_of_failing",
        ],
    ),
    (
        "disk full during export",
        [
            f"{R}/test_faults.py::test_disk_full_during_an_export_keeps_the_previous_export",
            "tests/exports/test_views.py::test_disk_full_is_reported_and_leaves_nothing",
            "tests/exports/test_export_faults.py::test_disk_full_inside_xlsxwriter_gives_the_csv_message_and_keeps_the_previous_export",
        ],
    ),
    ("process killed mid-import", [f"{R}/test_faults.py::test_a_crash_mid_import_leaves_zero_rows_from_that_file"]),
    (
        "an unhandled exception",
        [
            f"{R}/test_faults.py::test_an_unhandled_error_shows_a_generic_page_with_the_logged_incident_id",
        ],
    ),
    # --- Owed by open issues (see OWED)
    ("scripts and `javascript:` links inside a `.docx`", []),
    ("a worker killed mid-task", []),
    ("the task shows as failed and can run again", []),
    ("the mail relay down", []),
]


@cache
def _functions(path: str) -> set[str]:
    """Test names defined in a file: `test_x` and `TestClass::test_x`, read without importing it."""
    file = ROOT / path
    if not file.exists():
        return set()
    names = set()
    for node in ast.parse(file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(f"{node.name}::{n.name}" for n in node.body if isinstance(n, ast.FunctionDef))
    return names


def _items(document: str) -> list[str]:
    """The checkable lines: trap bullets, and the ";"-separated entries of the bold-headed paragraphs."""
    items = []
    for line in document.splitlines():
        if line.startswith("- "):
            items.append(line[2:])
        elif line.startswith("**") and ":**" in line:
            items.extend(part.strip() for part in line.split(":**", 1)[1].split(";") if part.strip())
    return items


def test_every_mapped_test_exists():
    """A renamed or deleted test breaks the catalogue here, not silently."""
    missing = [
        node
        for _quote, nodes in CATALOGUE
        for node in nodes
        if node.split("::", 1)[1] not in _functions(node.split("::")[0])
    ]
    assert not missing, "Catalogued tests that do not exist:\n" + "\n".join(sorted(set(missing)))


@pytest.mark.skipif(not DOCUMENT.exists(), reason=f"{DOCUMENT} is not next to the repository")
def test_every_line_of_the_document_is_catalogued():
    """Each quote is in RELIABILITY.md, and each item of RELIABILITY.md contains a quote."""
    document = DOCUMENT.read_text(encoding="utf-8")
    stale = [quote for quote, _nodes in CATALOGUE if quote not in document]
    uncovered = [item for item in _items(document) if not any(quote in item for quote, _nodes in CATALOGUE)]
    assert not stale, "Quotes no longer in RELIABILITY.md:\n" + "\n".join(stale)
    assert not uncovered, "Lines of RELIABILITY.md missing from the catalogue:\n" + "\n".join(uncovered)


def test_no_line_is_left_without_a_test():
    """Every catalogued line has at least one test, except those owed by an open issue (named in OWED)."""
    owed = [quote for quote, nodes in CATALOGUE if not nodes and quote not in OWED]
    assert not owed, "RELIABILITY.md lines without a test yet:\n" + "\n".join(owed)


def test_an_owed_line_is_really_owed():
    """A line in OWED has no test yet and is in the catalogue: once its test lands, it leaves OWED."""
    catalogued = dict(CATALOGUE)
    assert all(quote in catalogued and not catalogued[quote] for quote in OWED), OWED


def test_the_catalogue_quotes_are_unique():
    """One row per line keeps the table readable."""
    quotes = [quote for quote, _nodes in CATALOGUE]
    assert len(quotes) == len(set(quotes))
    assert all(re.search(r"\w", quote) for quote in quotes)
