"""The feedback lifecycle table, and a stateful property test driving it with random moves by random users."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from reviewtracker import clock, permissions
from reviewtracker.consolidation import services as consolidation
from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.feedback import services
from reviewtracker.feedback.workflow import MOVES, Action, By, move_for
from reviewtracker.models import Activity, ActivityCategory, FeedbackState, Role
from tests import factories

F = FeedbackState
ACTORS = ("author", "other_contributor", "focal_point", "focal_point_other", "co_lead", "member")


def test_table_shape():
    """Today's rules, spelled out: the author submits and withdraws, the country's focal point consolidates."""
    asked = {(m.action, m.source, m.target, m.by) for m in MOVES if not m.automatic}
    assert asked == {
        (Action.submit, F.draft, F.submitted, By.author),
        (Action.submit, F.returned, F.submitted, By.author),
        (Action.forward, F.submitted, F.forwarded, By.focal_point),
        (Action.return_, F.submitted, F.returned, By.focal_point),
        (Action.merge, F.submitted, F.merged, By.focal_point),
        (Action.withdraw, F.draft, F.withdrawn, By.author),
        (Action.withdraw, F.submitted, F.withdrawn, By.author),
        (Action.withdraw, F.returned, F.withdrawn, By.author),
    }
    # The direct submission's second half is never asked for on its own.
    assert [(m.action, m.source, m.target) for m in MOVES if m.automatic] == [
        (Action.forward, F.submitted, F.forwarded)
    ]
    # Nothing leaves the working group or the closed states.
    for closed in (F.forwarded, F.withdrawn, F.merged):
        assert all(move_for(closed, action) is None for action in Action)
    assert all(m.source != m.target for m in MOVES)


class LifecycleMachine(RuleBasedStateMachine):
    """Random submit / forward / return / merge / withdraw by random users: only the table's moves happen."""

    def __init__(self) -> None:
        super().__init__()
        self.items = []
        self.users = {}
        self.state = {}
        self.rows = 0

    @initialize()
    def setup(self):
        from tests.conftest import reset_database

        db.session.rollback()
        reset_database()
        self.users = {
            "author": factories.create_user("contributor", "KE"),
            "other_contributor": factories.create_user("contributor", "KE"),
            "focal_point": factories.create_user("focal_point", "KE"),
            "focal_point_other": factories.create_user("focal_point", "MA"),
            "co_lead": factories.create_user("co_lead", None),
            "member": factories.create_user("member", None),
        }
        queue_round = factories.create_round(("KE", "MA"))
        direct_round = factories.create_round(("KE", "MA"), allow_direct=True)
        author, focal = self.users["author"], self.users["focal_point"]
        self.items = [
            factories.create_feedback(author, queue_round),
            factories.create_feedback(author, queue_round),
            factories.create_feedback(self.users["other_contributor"], queue_round),
            factories.create_feedback(author, direct_round),
            factories.create_feedback(focal, queue_round),  # the focal point's own item goes straight through
        ]
        self.state = {item.id: item.state for item in self.items}
        self.rows = self._count()

    def _count(self) -> int:
        return db.session.scalar(select(func.count(Activity.id)).where(Activity.category == ActivityCategory.feedback))

    def _table_allows(self, actor, item, action) -> bool:
        """The table's answer, with 'who' read literally: the author in the country, or its focal point."""
        move = move_for(self.state[item.id], action)
        if move is None or item.deleted_at is not None:
            return False
        if move.by == By.author:
            return actor.id == item.author_id and actor.country_id == item.country_id
        return actor.role == Role.focal_point and actor.country_id == item.country_id

    def _call(self, action, actor, item, other):
        if action == Action.submit:
            services.submit_feedback(actor, item, today=clock.round_today())
        elif action == Action.forward:
            consolidation.forward_feedback(actor, item)
        elif action == Action.return_:
            consolidation.return_feedback(actor, item, "Please say which paragraph.")
        elif action == Action.merge:
            consolidation.merge_feedback(actor, other, item)
        else:
            services.withdraw_feedback(actor, item)

    @rule(
        i=st.integers(0, 4),
        j=st.integers(0, 4),
        action=st.sampled_from(list(Action)),
        who=st.sampled_from(ACTORS),
    )
    def move(self, i, j, action, who):
        item, other, actor = self.items[i], self.items[j], self.users[who]
        before = item.state
        legal = self._table_allows(actor, item, action)
        if action == Action.merge:  # into another item that the same focal point may consolidate
            legal = legal and i != j and self._table_allows(actor, other, action)
        # The predicate the pages and views ask is the table too.
        assert permissions.can_move_feedback(actor, item, action) == self._table_allows(actor, item, action)
        try:
            with db.session.begin_nested():
                self._call(action, actor, item, other)
        except ServiceError as refusal:
            # Every move the table allows must succeed: a refused legal move is a bug, not a pass.
            assert not legal, f"{who} could not {action} a {before} item: {refusal.message}"
            assert item.state == before
            return
        assert legal, f"{who} made {action} on a {before} item against the table"
        target = move_for(before, action).target
        self.rows += 2 if action == Action.merge else 1
        if action == Action.submit and permissions.submits_directly(actor, item.round):
            target = F.forwarded  # the automatic tail of a direct submission
            self.rows += 1
        self.state[item.id] = target

    @invariant()
    def database_follows_the_table(self):
        if self.items:
            assert self._count() == self.rows  # a refused move wrote no history row either
            for item in self.items:
                assert item.state == self.state[item.id]
                assert (item.merged_into_id is not None) == (item.state == F.merged)
                assert (item.status is not None) == (item.state == F.forwarded)


@pytest.mark.usefixtures("app")
def test_lifecycle_state_machine(app):
    with app.test_request_context("/"):
        LifecycleMachine.TestCase.settings = settings(
            max_examples=25, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
        )
        LifecycleMachine.TestCase().runTest()
