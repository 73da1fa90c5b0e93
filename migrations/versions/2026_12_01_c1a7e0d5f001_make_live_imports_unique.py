"""make live imports unique

Revision ID: c1a7e0d5f001
Revises: 919bdd26fb09
Create Date: 2026-12-01 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c1a7e0d5f001"
down_revision = "919bdd26fb09"
branch_labels = None
depends_on = None


def upgrade():
    # A file confirmed twice at the same moment must give one import: the database decides, not a read-then-write.
    # Duplicates left by that race would stop the index. Marking one "undone" would show it as undone while its
    # rows stay, so stop with the ids and let a person undo the extra import(s) first.
    duplicates = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT round_id, country_id, sha256, COUNT(*) FROM feedback_imports WHERE undone_at IS NULL"
                " GROUP BY round_id, country_id, sha256 HAVING COUNT(*) > 1"
            )
        )
        .all()
    )
    if duplicates:
        raise RuntimeError(
            "The same file was imported more than once (round, country, sha256, imports): "
            f"{[tuple(row) for row in duplicates]}. Undo the extra imports, then upgrade again."
        )
    with op.batch_alter_table("feedback_imports", schema=None) as batch_op:
        batch_op.create_index(
            "uq_feedback_imports_live_file",
            ["round_id", "country_id", "sha256"],
            unique=True,
            sqlite_where=sa.text("undone_at IS NULL"),
            postgresql_where=sa.text("undone_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("feedback_imports", schema=None) as batch_op:
        batch_op.drop_index("uq_feedback_imports_live_file")
