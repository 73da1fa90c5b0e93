"""Demo triage: decisions of every kind, assignments, tags, notes, revision items, responses and a next draft."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from reviewtracker.documents import services as documents_services
from reviewtracker.extensions import db
from reviewtracker.models import (
    Acknowledgement,
    Country,
    Feedback,
    FeedbackEdit,
    FeedbackLanguage,
    FeedbackState,
    FeedbackType,
    GuidanceDocument,
    GuidingPrinciple,
    Objective,
    Priority,
    ResponseTemplate,
    ReviewRound,
    RevisionItem,
    Role,
    Section,
    TriageStatus,
    User,
)
from reviewtracker.models._base import utcnow
from reviewtracker.revisions import services as revisions
from reviewtracker.triage import services as triage

S = TriageStatus
CO_LEADS = ("sofia.rossi", "jean.dupont", "ana.garcia")
# What happens to the n-th forwarded item: a path through the workflow table.
PLAN = [
    [S.in_review, S.accepted],
    [S.in_review, S.accepted_modified],
    [S.noted],
    [S.in_review, S.not_accepted],
    [S.deferred],
    [S.duplicate],  # of item 0
    [S.in_review, S.accepted],
    [S.in_review],
    [S.in_review, S.accepted_modified],
    [S.noted],
    [S.in_review, S.accepted],
    [],  # stays new
    [],
    [S.in_review],
]
TAGS = [["data"], ["terminology"], ["gender", "data"], ["return and reintegration"], [], ["data"]]
TEMPLATES = [
    (
        "Accepted",
        "Thank you. The working group accepted your suggestion; it will be reflected in the revised draft.",
        "Merci. Le groupe de travail a accepté votre suggestion ; elle sera reprise dans le projet révisé.",
        "Gracias. El grupo de trabajo aceptó su sugerencia; se reflejará en el borrador revisado.",
    ),
    (
        "Accepted with modifications",
        "Thank you. The working group accepted the substance of your suggestion with some changes of wording.",
        "Merci. Le groupe de travail a retenu le fond de votre suggestion, avec des modifications de formulation.",
        "Gracias. El grupo de trabajo aceptó el fondo de su sugerencia, con algunos cambios de redacción.",
    ),
    (
        "Noted",
        "Thank you. The working group noted your comment; it will inform the implementation support materials.",
        "Merci. Le groupe de travail a pris note de votre commentaire ; il guidera les supports de mise en œuvre.",
        "Gracias. El grupo de trabajo tomó nota de su comentario; orientará los materiales de apoyo a la aplicación.",
    ),
]
FALLBACK_COMMENTS = [
    ("KE", "G.2.1", "The guide should explain how to involve county governments in the national plan."),
    ("KE", "G.2.2", "Add an example of a multi-stakeholder steering committee with migrant organisations."),
    ("MA", "G.2.1", "Le guide devrait expliquer comment associer les collectivités territoriales au plan national."),
    ("MA", "G.3", "Préciser les sources de données administratives disponibles pour le suivi."),
    ("EC", "G.3", "Incluir indicadores desagregados por sexo y edad en la sección de datos."),
    ("EC", "G.2.2", "Agregar un ejemplo de comité interinstitucional con participación de la sociedad civil."),
    ("KE", "G.3", "Data on returnees should be disaggregated by gender and age."),
    ("MA", "G.2.2", "Ajouter un exemple de comité de pilotage multi-acteurs avec les associations de migrants."),
    ("EC", "G.2.1", "El guía debería explicar cómo involucrar a los gobiernos locales en el plan nacional."),
    ("KE", "G.2.1", "Clarify the role of the diaspora in the national implementation plan."),
    ("MA", "G.3", "Les indicateurs devraient être ventilés par sexe et par âge."),
    ("EC", "G.3", "Aclarar qué datos administrativos existen para el seguimiento."),
    ("KE", "G.2.2", "The terminology 'irregular migrant' should be used consistently."),
    ("EC", "G.2.1", "Mencionar la coordinación con los consulados en el plan nacional."),
]


def _user(prefix: str) -> User | None:
    return db.session.scalar(select(User).where(User.email.like(f"{prefix}@%")))


def _fallback_feedback(today: date) -> list[Feedback]:
    """A few forwarded items when the feedback demo has not run, so the triage screens still show data."""
    review_round = db.session.scalar(select(ReviewRound).order_by(ReviewRound.id.desc()))
    if review_round is None:
        return []
    created = []
    for n, (code, section_code, text) in enumerate(FALLBACK_COMMENTS):
        country = db.session.scalar(select(Country).where(Country.code == code))
        author = db.session.scalar(
            select(User).where(User.country_id == country.id, User.in_role(Role.contributor)).order_by(User.id)
        )
        section = db.session.scalar(select(Section).where(Section.code == section_code).order_by(Section.version_id))
        if author is None or section is None:
            continue
        when = utcnow() - timedelta(days=14 - n)
        language = {"KE": FeedbackLanguage.en, "MA": FeedbackLanguage.fr, "EC": FeedbackLanguage.es}[code]
        item = Feedback(
            round=review_round,
            version=section.version,
            section=section,
            type=FeedbackType.substantive if n % 3 else FeedbackType.general,
            priority=[Priority.high, Priority.medium, Priority.low][n % 3],
            comment=text,
            language=language,
            covid=n % 5 == 0,
            author=author,
            country_id=country.id,
            organisation_id=author.organisation_id,
            state=FeedbackState.forwarded,
            submitted_at=when,
            forwarded_at=when,
            status=S.new,
        )
        db.session.add(item)
        db.session.flush()
        db.session.add(FeedbackEdit(feedback=item, number=1, comment=text, edited_by_id=author.id))
        created.append(item)
    db.session.flush()
    return created


def _templates() -> None:
    for name, en, fr, es in TEMPLATES:
        db.session.add(ResponseTemplate(name=name, text_en=en, text_fr=fr, text_es=es))
    db.session.flush()


def seed(today: date) -> None:
    """Triage the forwarded demo items (or a few created here) and build revision items and the next draft."""
    if db.session.scalar(select(RevisionItem.id).limit(1)) is not None:
        return  # already seeded
    co_leads = [u for u in (_user(p) for p in CO_LEADS) if u is not None]
    admin = _user("admin.user")
    if not co_leads or admin is None:
        return
    _templates()
    items = list(
        db.session.scalars(select(Feedback).where(Feedback.state == FeedbackState.forwarded).order_by(Feedback.id))
    )
    if len(items) < 8:
        items += _fallback_feedback(today)
    if not items:
        return
    items = _interleave_by_country(items)
    principles = list(db.session.scalars(select(GuidingPrinciple).order_by(GuidingPrinciple.letter)))
    objectives = list(db.session.scalars(select(Objective).order_by(Objective.number)))
    for n, item in enumerate(items):
        lead = co_leads[n % len(co_leads)]
        triage.assign_feedback(
            lead, item, assignee=lead, lead_agency=lead.lead_agency, expected_version=item.lock_version
        )
        tags = TAGS[n % len(TAGS)]
        if tags:
            triage.set_tags(
                lead,
                item,
                tag_names=tags,
                principle_ids=[principles[n % len(principles)].id] if principles else [],
                objective_ids=[objectives[(n * 5) % len(objectives)].id] if objectives else [],
                expected_version=item.lock_version,
            )
        for status in PLAN[n] if n < len(PLAN) else []:
            original = items[0] if status == S.duplicate and len(items) > 1 else None
            if status == S.duplicate and original is None:
                continue
            triage.change_status(lead, item, status, expected_version=item.lock_version, duplicate_of=original)
    _notes(items, co_leads)
    _responses(items, co_leads)
    _revision_items(items, co_leads, admin)


def _interleave_by_country(items: list[Feedback]) -> list[Feedback]:
    """Take the countries in turn, so every pilot country's items go through the workflow in the demo."""
    by_country: dict[int, list[Feedback]] = {}
    for item in items:
        by_country.setdefault(item.country_id, []).append(item)
    queues = list(by_country.values())
    mixed: list[Feedback] = []
    while any(queues):
        for queue in queues:
            if queue:
                mixed.append(queue.pop(0))
    return mixed


def _notes(items: list[Feedback], co_leads: list[User]) -> None:
    first = triage.add_note(co_leads[0], items[0], "Similar comments came from several countries; let us group them.")
    triage.add_note(co_leads[1 % len(co_leads)], items[0], "Agreed. I will draft a revision item.", parent=first)
    if len(items) > 3:
        triage.add_note(co_leads[-1], items[3], "Out of scope for the guide; check with the Network secretariat.")


def _responses(items: list[Feedback], co_leads: list[User]) -> None:
    templates = {t.name: t for t in db.session.scalars(select(ResponseTemplate))}
    by_status = {S.accepted: "Accepted", S.accepted_modified: "Accepted with modifications", S.noted: "Noted"}
    answered = [i for i in items if i.status in by_status]
    for n, item in enumerate(answered):
        language = item.language.value if item.language.value in ("en", "fr", "es") else "en"
        text = templates[by_status[item.status]].text_in(language)
        publish = n < len(answered) - 2  # most published, the last two left as drafts
        triage.save_response(
            co_leads[n % len(co_leads)],
            item,
            text=text,
            language=language,
            publish=publish,
            expected_version=item.lock_version,
        )
    published = [i for i in answered if i.response is not None and i.response.published]
    if published:
        response = published[0].response
        response.acknowledgement = Acknowledgement.agree
        response.acknowledgement_comment = "Thank you for taking our comment into account."
        response.acknowledged_by_id = published[0].author_id
        response.acknowledged_at = utcnow()
        db.session.flush()


def _revision_items(items: list[Feedback], co_leads: list[User], admin: User) -> None:
    def sections(code: str) -> list[int]:
        found = db.session.scalar(select(Section.id).where(Section.code == code).order_by(Section.version_id))
        return [found] if found else []

    specs = [
        ("Explain how local governments take part in the national plan", "G.2.1"),
        ("Add an example of a multi-stakeholder steering committee", "G.2.2"),
        ("Ask for data disaggregated by sex and age", "G.3"),
        ("Use GCM terminology consistently", None),
    ]
    created = []
    for n, (title, code) in enumerate(specs):
        lead = co_leads[n % len(co_leads)]
        item = revisions.create_revision_item(
            lead,
            title=title,
            description="Gathers the comments of several pilot countries on the same point.",
            section_ids=sections(code) if code else [],
            owner_agency_id=lead.lead_agency_id,
        )
        created.append(item)
    live = [i for i in items if i.status != S.duplicate]
    for n, item in enumerate(live):
        revision = created[n % len(created)]
        revisions.link_revision_item(co_leads[n % len(co_leads)], revision, item)
    guide = db.session.scalar(select(GuidanceDocument).where(GuidanceDocument.code == "G"))
    if guide is None:
        return
    version = documents_services.create_version(admin, guide, label=documents_services.next_free_label(guide))
    first = created[0]
    new_section = db.session.scalar(select(Section).where(Section.version_id == version.id, Section.code == "G.2.1"))
    for status in ("agreed", "drafted"):
        revisions.update_revision_item(co_leads[0], first, expected_version=first.lock_version, status=status)
    revisions.update_revision_item(
        co_leads[0],
        first,
        expected_version=first.lock_version,
        status="applied",
        applied_version_id=version.id,
        section_ids=[s.id for s in first.sections] + ([new_section.id] if new_section else []),
    )
    revisions.update_revision_item(
        co_leads[1 % len(co_leads)], created[1], expected_version=created[1].lock_version, status="agreed"
    )
