"""The workflow table, and a stateful property test driving it with random actions by random roles."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.models import Activity, ActivityCategory, Role, TriageStatus
from reviewtracker.triage import services
from reviewtracker.triage.workflow import DECIDED, MOVES, allowed_moves
from tests import factories

S = TriageStatus


def test_table_shape():
    assert allowed_moves(S.new, Role.co_lead) == [S.in_review, S.noted, S.duplicate, S.deferred]
    assert set(allowed_moves(S.in_review, Role.admin)) == DECIDED
    for decided in DECIDED:
        assert allowed_moves(decided, Role.co_lead) == [S.in_review]
    for role in (Role.member, Role.contributor, Role.focal_point):
        assert all(allowed_moves(s, role) == [] for s in S)
    assert all(m.source != m.target for m in MOVES)


TABLE = {(m.source, m.target, role) for m in MOVES for role in m.roles}


class TriageMachine(RuleBasedStateMachine):
    """Random status changes, assignments and notes; the database must only ever follow the table."""

    def __init__(self) -> None:
        super().__init__()
        self.items = []
        self.users = {}
        self.expected_rows = 0
        self.last_status = {}

    @initialize()
    def setup(self):
        from tests.conftest import reset_database

        db.session.rollback()
        reset_database()
        self.users = {
            role: factories.create_user(role, "KE")
            for role in ("co_lead", "admin", "member", "contributor", "focal_point")
        }
        review_round = factories.create_round(("KE",))
        author = self.users["contributor"]
        self.items = [factories.create_feedback(author, review_round, state="forwarded") for _ in range(3)]
        self.last_status = {item.id: S.new for item in self.items}

    def _count(self) -> int:
        return db.session.scalar(select(func.count(Activity.id)).where(Activity.category == ActivityCategory.triage))

    @rule(
        i=st.integers(0, 2),
        new_status=st.sampled_from(list(S)),
        role=st.sampled_from(["co_lead", "admin", "member", "contributor", "focal_point"]),
        stale=st.booleans(),
        dup=st.integers(0, 2),
    )
    def change_status(self, i, new_status, role, stale, dup):
        target = new_status
        item, actor = self.items[i], self.users[role]
        before = item.status
        version = item.lock_version - (1 if stale else 0)
        original = self.items[dup] if target == S.duplicate else None
        legal = (
            not stale
            and (before, target, actor.role) in TABLE
            and (original is None or (original.id != item.id and original.status != S.duplicate))
        )
        try:
            with db.session.begin_nested():
                services.change_status(actor, item, target, expected_version=version, duplicate_of=original)
        except ServiceError as refusal:
            # Every move the table allows must succeed: a refused legal move is a bug, not a pass.
            assert not legal, f"{role} could not move {before} → {target}: {refusal.message}"
            assert item.status == before
            return
        assert legal, f"{role} moved {before} → {target} against the table (stale={stale})"
        self.expected_rows += 1
        self.last_status[item.id] = target

    @rule(i=st.integers(0, 2), role=st.sampled_from(["co_lead", "member", "focal_point"]), nobody=st.booleans())
    def assign(self, i, role, nobody):
        item, actor = self.items[i], self.users[role]
        assignee = None if nobody else self.users["co_lead"]
        changed = item.assignee_id != (assignee.id if assignee else None)
        try:
            with db.session.begin_nested():
                services.assign_feedback(
                    actor, item, assignee=assignee, lead_agency=None, expected_version=item.lock_version
                )
        except ServiceError:
            assert role != "co_lead"
            return
        if changed:
            self.expected_rows += 1

    @rule(i=st.integers(0, 2), role=st.sampled_from(["co_lead", "member"]))
    def note(self, i, role):
        try:
            with db.session.begin_nested():
                services.add_note(self.users[role], self.items[i], "A note")
        except ServiceError:
            assert role == "member"
            return
        self.expected_rows += 1

    @invariant()
    def every_change_has_its_row(self):
        if self.items:
            assert self._count() == self.expected_rows
            for item in self.items:
                assert item.status == self.last_status[item.id]
                if item.status == S.duplicate:
                    assert item.duplicate_of_id is not None
                else:
                    assert item.duplicate_of_id is None


@pytest.mark.usefixtures("app")
def test_workflow_state_machine(app):
    with app.test_request_context("/"):
        TriageMachine.TestCase.settings = settings(
            max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
        )
        TriageMachine.TestCase().runTest()
