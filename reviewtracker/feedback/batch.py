"""Creating many feedback items through the ordinary services: reference rows loaded once, writes flushed together.

The services in `reviewtracker.feedback.services` take an optional `lookups` (a `Lookups`) or `batch` (a
`FeedbackBatch`). Without one they behave exactly as for a single web form: each call loads what it needs and
flushes. The importer passes one `FeedbackBatch` for the whole file, so that 10,000 rows are not 10,000 times
the same section/principle/objective queries and two flushes each: the work that needs the new item's id
(its first edit and activity rows) is queued and done after one INSERT for many items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, GuidingPrinciple, Objective, Organisation, ReviewRound, Section

DEFAULT_BATCH_SIZE = 1000


class Lookups:
    """The sections, principles, objectives and organisations items point to, each loaded at most once."""

    def __init__(self) -> None:
        # Strong references: the session's identity map is weak, so a plain session.get() would query again.
        self._sections: dict[int, Section | None] = {}
        self._tags: dict[type, dict[int, GuidingPrinciple | Objective]] = {GuidingPrinciple: {}, Objective: {}}
        self._organisations: dict[int, Organisation | None] = {}

    def preload(self, review_round: ReviewRound) -> None:
        """Load every section of the round's versions and every principle and objective (three queries)."""
        version_ids = [v.id for v in review_round.versions]
        for section in db.session.scalars(select(Section).where(Section.version_id.in_(version_ids))):
            self._sections[section.id] = section
        for model, known in self._tags.items():
            known.update({row.id: row for row in db.session.scalars(select(model))})

    def section(self, section_id: int) -> Section | None:
        """The section with this id, or None."""
        if section_id not in self._sections:
            self._sections[section_id] = db.session.get(Section, section_id)
        return self._sections[section_id]

    def tags(self, model: type, ids: Iterable[int]) -> list | None:
        """The principles (or objectives) with these ids, sorted by id; None when one of them does not exist."""
        wanted = sorted(set(ids))
        known = self._tags[model]
        missing = [i for i in wanted if i not in known]
        if missing:
            known.update({row.id: row for row in db.session.scalars(select(model).where(model.id.in_(missing)))})
        if any(i not in known for i in wanted):
            return None
        return [known[i] for i in wanted]

    def organisation(self, organisation_id: int) -> Organisation | None:
        """The organisation with this id, or None."""
        if organisation_id not in self._organisations:
            self._organisations[organisation_id] = db.session.get(Organisation, organisation_id)
        return self._organisations[organisation_id]


class FeedbackBatch(Lookups):
    """Lookups plus queued post-insert work; use as a context manager so that the last batch is always written.

    Submissions made inside the batch do not notify anyone: they are collected in `submitted`, and the caller
    sends one notification for the lot (`services.notify_submitted`).
    """

    def __init__(self, review_round: ReviewRound | None = None, *, size: int = DEFAULT_BATCH_SIZE) -> None:
        super().__init__()
        if review_round is not None:
            self.preload(review_round)
        self.size = size
        self.submitted: list[Feedback] = []
        self._pending: list[Callable[[], None]] = []
        self._items = 0

    def after_insert(self, work: Callable[[], None]) -> None:
        """Queue work that needs the ids of the items added so far; it runs at the next flush."""
        self._pending.append(work)

    def item_added(self) -> None:
        """Count an item; every `size` items, write them."""
        self._items += 1
        if self._items % self.size == 0:
            self.flush()

    def flush(self) -> None:
        """INSERT the pending items (one statement for many), then run the queued work and write it too."""
        db.session.flush()
        while self._pending:
            pending, self._pending = self._pending, []
            for work in pending:
                work()
        db.session.flush()

    def __enter__(self) -> FeedbackBatch:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.flush()
