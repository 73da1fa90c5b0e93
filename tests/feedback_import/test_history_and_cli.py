"""Upload history, undoing an import, and `flask feedback import` with the same checks."""

from __future__ import annotations

from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import Activity, Feedback, FeedbackImport, FeedbackState
from tests.feedback_import.conftest import download, feedback_count, fill, page_text, upload

GOOD_ROW = {"Section code": "G.2.1", "Type": "General", "Comment": "Offline comment"}


def _import(client, world, rows, mode="draft") -> FeedbackImport:
    upload(client, world.round.id, fill(download(client, world.round.id), rows))
    client.post("/feedback/imports/confirm", data={"mode": mode})
    return db.session.scalars(select(FeedbackImport).order_by(FeedbackImport.id.desc())).first()


def test_undo_soft_deletes_the_drafts_and_allows_the_file_again(client, world, login_as):
    login_as(world.users["contributor"])
    record = _import(client, world, [GOOD_ROW, GOOD_ROW])
    history = page_text(client.get("/feedback/imports"))
    assert "Delete the 2 draft items this upload created?" in history
    response = client.post(f"/feedback/imports/{record.id}/undo", follow_redirects=True)
    assert "The import was undone: 2 draft items were deleted." in page_text(response)
    db.session.expire_all()
    items = db.session.scalars(select(Feedback).where(Feedback.import_id == record.id)).all()
    assert len(items) == 2 and all(i.deleted_at is not None and i.state == FeedbackState.withdrawn for i in items)
    assert db.session.get(FeedbackImport, record.id).undone_at is not None
    assert db.session.scalar(select(Activity).where(Activity.action == "import.undo")) is not None
    assert "Undone on" in page_text(client.get("/feedback/imports"))
    # An undone upload no longer counts as a duplicate.
    again = _import(client, world, [GOOD_ROW, GOOD_ROW])
    assert again.id != record.id and again.rows_created == 2


def test_undo_is_refused_once_an_item_was_submitted(client, world, login_as):
    login_as(world.users["contributor"])
    record = _import(client, world, [GOOD_ROW], mode="submit")
    assert "Undo" not in page_text(client.get("/feedback/imports")).split("Upload history")[-1].split("</table>")[0]
    response = client.post(f"/feedback/imports/{record.id}/undo", follow_redirects=True)
    assert "can no longer be undone" in page_text(response)
    assert db.session.get(FeedbackImport, record.id).undone_at is None
    assert db.session.scalar(select(func.count(Feedback.id)).where(Feedback.deleted_at.is_not(None))) == 0


def test_other_people_cannot_undo_or_see_a_contributors_upload(client, world, login_as):
    login_as(world.users["contributor"])
    record = _import(client, world, [GOOD_ROW])
    login_as(world.users["contributor_other"])
    assert client.post(f"/feedback/imports/{record.id}/undo").status_code == 404
    assert "a.xlsx" not in page_text(client.get("/feedback/imports"))
    login_as(world.users["focal_point"])  # sees the country's uploads, but the drafts are not theirs to delete
    assert "feedback.xlsx" in page_text(client.get("/feedback/imports"))
    assert client.post(f"/feedback/imports/{record.id}/undo").status_code == 403
    assert db.session.get(FeedbackImport, record.id).undone_at is None


def test_cancel_forgets_the_upload(client, world, login_as, _upload_dir):
    login_as(world.users["contributor"])
    before = feedback_count()
    upload(client, world.round.id, fill(download(client, world.round.id), [GOOD_ROW]))
    response = client.post("/feedback/imports/cancel", follow_redirects=True)
    assert "nothing was imported" in page_text(response)
    assert list(_upload_dir.iterdir()) == []
    assert client.post("/feedback/imports/confirm", data={"mode": "draft"}).status_code == 302
    assert feedback_count() == before


def _cli_file(client, world, login_as, tmp_path, rows, name="comments.xlsx"):
    login_as(world.users["contributor"])
    path = tmp_path / name
    path.write_bytes(fill(download(client, world.round.id), rows))
    return path


def test_cli_import_dry_run_then_real_then_duplicate(runner, client, world, login_as, tmp_path):
    path = _cli_file(client, world, login_as, tmp_path, [GOOD_ROW, {**GOOD_ROW, "Section code": "B.07.2"}])
    before = feedback_count()
    email = world.users["contributor"].email
    args = ["feedback", "import", str(path), "--round", str(world.round.id), "--user", email]
    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "new: 2" in result.output and "Dry run: nothing was written." in result.output
    assert feedback_count() == before
    result = runner.invoke(args=[*args, "--submit"])
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated (submitted)" in result.output
    db.session.expire_all()
    items = db.session.scalars(select(Feedback).where(Feedback.import_id.is_not(None))).all()
    assert len(items) == 2 and {i.state for i in items} == {FeedbackState.submitted}
    assert db.session.scalar(select(FeedbackImport)).filename == "comments.xlsx"
    result = runner.invoke(args=args)
    assert "already imported" in result.output and feedback_count() == before + 2


def test_cli_import_reports_row_errors_and_exits_1(runner, client, world, login_as, tmp_path):
    path = _cli_file(client, world, login_as, tmp_path, [GOOD_ROW, {**GOOD_ROW, "Section code": "B.24"}])
    before = feedback_count()
    result = runner.invoke(
        args=[
            "feedback",
            "import",
            str(path),
            "--round",
            str(world.round.id),
            "--user",
            world.users["contributor"].email,
        ]
    )
    assert result.exit_code == 1
    assert "Row 3, Section code: 'B.24' is not a section of the B — Advanced draft." in result.output
    assert feedback_count() == before


def test_cli_refuses_hostile_files_and_unknown_users(runner, world, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"a,b\n1,2\n")
    email = world.users["contributor"].email
    result = runner.invoke(args=["feedback", "import", str(path), "--round", str(world.round.id), "--user", email])
    assert result.exit_code == 1 and "it looks like a CSV or text file" in result.output
    result = runner.invoke(
        args=["feedback", "import", str(path), "--round", str(world.round.id), "--user", "nobody@example.org"]
    )
    assert result.exit_code == 1 and "No country user" in result.output
    assert db.session.scalar(select(func.count(FeedbackImport.id))) == 0
