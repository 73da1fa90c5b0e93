"""keep working group tags apart

Revision ID: c1a7e0d5f002
Revises: c1a7e0d5f001
Create Date: 2026-12-01 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c1a7e0d5f002"
down_revision = "c1a7e0d5f001"
branch_labels = None
depends_on = None


def upgrade():
    # The working group's principles and objectives get their own tables, so tagging in triage no longer
    # replaces the submitter's choice in feedback_principles / feedback_objectives. Tags a co-lead already wrote
    # over the submitter's cannot be told apart from the country's own, so nothing is moved.
    op.create_table(
        "triage_principles",
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("principle_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_triage_principles_feedback_id_feedback"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["principle_id"],
            ["guiding_principles.id"],
            name=op.f("fk_triage_principles_principle_id_guiding_principles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("feedback_id", "principle_id", name=op.f("pk_triage_principles")),
    )
    op.create_table(
        "triage_objectives",
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_triage_objectives_feedback_id_feedback"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name=op.f("fk_triage_objectives_objective_id_objectives"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("feedback_id", "objective_id", name=op.f("pk_triage_objectives")),
    )


def downgrade():
    op.drop_table("triage_objectives")
    op.drop_table("triage_principles")
