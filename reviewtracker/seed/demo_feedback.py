# ruff: noqa: E501 - the demo comments are data, kept one per line
"""Demo feedback from Kenya (en), Morocco (fr) and Ecuador (es) in every state, plus guiding answers.

Runs inside `flask seed demo` after the demo users and the open round exist; it goes through the real
services, so every item has its original text snapshot, its activity rows and its notifications.
"""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select

from reviewtracker.consolidation import services as consolidation
from reviewtracker.extensions import db
from reviewtracker.feedback import services
from reviewtracker.feedback.inputs import FeedbackInput
from reviewtracker.models import (
    Country,
    FeedbackLanguage,
    FeedbackType,
    GuidingPrinciple,
    Objective,
    Priority,
    ReviewRound,
    Role,
    Section,
    User,
)

# (section code or document code for the whole document, type, priority, covid, text) per language.
COMMENTS = {
    "en": [
        (
            "G.2.1",
            "substantive",
            "high",
            False,
            "Step 1 should say who convenes the national coordination mechanism and how civil society joins it.",
        ),
        (
            "G.2.2",
            "substantive",
            "medium",
            False,
            "The assessment step needs a short list of data sources countries already have (census, labour force surveys).",
        ),
        (
            "G.2.3",
            "editorial",
            "low",
            False,
            "The table in Step 3 repeats the objectives; a cross-reference would be enough.",
        ),
        (
            "G.3",
            "substantive",
            "high",
            True,
            "The COVID-19 section should cover access to vaccines for migrants regardless of status.",
        ),
        (
            "B.07",
            "substantive",
            "high",
            False,
            "Objective 7 should give examples of firewalls between service providers and immigration enforcement.",
        ),
        (
            "B.05.2",
            "general",
            "medium",
            False,
            "Regular pathways: add examples of bilateral labour agreements from East Africa.",
        ),
        ("G", "general", "medium", False, "The Guide is long; an executive summary of two pages would help ministers."),
        ("G.2.5", "substantive", "medium", False, "Monitoring indicators should align with the SDG indicator 10.7.2."),
        ("B.23", "editorial", "low", False, "Objective 23: the acronyms list is missing."),
        (
            "G.1.2",
            "substantive",
            "high",
            False,
            "The child-sensitive principle deserves its own box with practical steps.",
        ),
        (
            "B.15",
            "substantive",
            "medium",
            True,
            "Access to basic services during the pandemic: include mobile clinics as a practice.",
        ),
        (
            "B.06",
            "substantive",
            "high",
            False,
            "Objective 6: recruitment fees paid by workers should be named as a red line.",
        ),
        ("G.2.4", "general", "medium", False, "Implementation: show how county governments can take part."),
        ("B.21", "substantive", "medium", False, "Objective 21: reintegration support should start before return."),
    ],
    "fr": [
        (
            "G.2.1",
            "substantive",
            "high",
            False,
            "L’étape 1 devrait préciser le rôle des collectivités territoriales dans la mobilisation.",
        ),
        (
            "G.2.4",
            "substantive",
            "medium",
            False,
            "La mise en œuvre suppose un budget : proposer un modèle de plan de financement.",
        ),
        (
            "G.2.6",
            "editorial",
            "low",
            False,
            "Le titre de l’étape 6 devrait être « Examiner et rendre compte » partout dans le texte.",
        ),
        (
            "G.3",
            "substantive",
            "high",
            True,
            "La partie COVID-19 doit mentionner la continuité des services consulaires pendant les fermetures de frontières.",
        ),
        (
            "B.19",
            "substantive",
            "medium",
            False,
            "Objectif 19 : ajouter l’exemple des programmes de mobilisation des compétences de la diaspora.",
        ),
        (
            "B.20",
            "substantive",
            "high",
            False,
            "Objectif 20 : le coût des transferts de fonds vers l’Afrique du Nord reste élevé ; citer la cible de 3 %.",
        ),
        (
            "B",
            "general",
            "medium",
            False,
            "Le livret gagnerait à proposer une fiche synthétique d’une page par objectif.",
        ),
        ("G.1.1", "editorial", "low", False, "La vision à 360 degrés : la figure n’est pas lisible en noir et blanc."),
        ("B.04", "substantive", "medium", False, "Objectif 4 : traiter de l’état civil des enfants nés en transit."),
        (
            "G.2.2",
            "general",
            "medium",
            False,
            "L’évaluation devrait associer les observatoires régionaux des migrations.",
        ),
        (
            "B.07.1",
            "substantive",
            "high",
            True,
            "Réduire les vulnérabilités : inclure les travailleurs saisonniers bloqués pendant la pandémie.",
        ),
        (
            "B.17",
            "substantive",
            "medium",
            False,
            "Objectif 17 : citer les campagnes de lutte contre la xénophobie menées avec les médias.",
        ),
        ("G.2.5", "editorial", "low", False, "Étape 5 : harmoniser « suivi » et « monitorage »."),
        (
            "B.22",
            "substantive",
            "medium",
            False,
            "Objectif 22 : la portabilité des droits à pension mérite un exemple d’accord bilatéral.",
        ),
    ],
    "es": [
        (
            "G.2.1",
            "substantive",
            "medium",
            False,
            "El paso 1 debería incluir a los gobiernos locales de las zonas fronterizas.",
        ),
        (
            "G.2.3",
            "substantive",
            "high",
            False,
            "El diseño del plan nacional debería prever consultas con personas migrantes y refugiadas.",
        ),
        (
            "G.2.5",
            "editorial",
            "low",
            False,
            "En el paso 5, la palabra «monitoreo» y «seguimiento» se usan indistintamente; unificar.",
        ),
        (
            "G.3",
            "substantive",
            "high",
            True,
            "La sección COVID-19 debe tratar la regularización temporal aplicada en la región andina.",
        ),
        (
            "B.16",
            "substantive",
            "medium",
            False,
            "Objetivo 16: incluir ejemplos de inclusión de personas venezolanas en el sistema educativo.",
        ),
        (
            "B.01",
            "substantive",
            "high",
            False,
            "Objetivo 1: recomendar la desagregación de datos por sexo, edad y estatus migratorio.",
        ),
        (
            "G",
            "general",
            "medium",
            False,
            "La Guía debería publicarse también en un formato accesible para lectores de pantalla.",
        ),
        (
            "B.10",
            "substantive",
            "high",
            False,
            "Objetivo 10: mencionar la coordinación regional contra la trata en el marco de la Conferencia Suramericana.",
        ),
        ("G.A", "editorial", "low", False, "Los anexos deberían incluir una plantilla editable de hoja de ruta."),
        (
            "B.12",
            "general",
            "medium",
            True,
            "Objetivo 12: describir los procedimientos fronterizos con medidas sanitarias.",
        ),
        (
            "G.1.4",
            "substantive",
            "medium",
            False,
            "La revisión nacional debería vincularse al Foro de Examen de la Migración Internacional.",
        ),
        (
            "B.08",
            "substantive",
            "high",
            False,
            "Objetivo 8: incluir la búsqueda de personas migrantes desaparecidas en el Darién.",
        ),
        (
            "G.2.6",
            "general",
            "medium",
            False,
            "Paso 6: sugerir un calendario de informes alineado con los exámenes regionales.",
        ),
        (
            "B.18",
            "substantive",
            "medium",
            False,
            "Objetivo 18: el reconocimiento de títulos debería tener plazos máximos.",
        ),
    ],
}
COUNTRY_LANG = {"KE": "en", "MA": "fr", "EC": "es"}
ANSWERS = {
    "en": "Broadly yes; the whole-of-society approach should be more visible in each step.",
    "fr": "Oui, dans l’ensemble ; l’approche mobilisant l’ensemble de la société devrait être plus visible à chaque étape.",
    "es": "En general sí; el enfoque pansocial debería verse con más claridad en cada paso.",
}


def _section(review_round: ReviewRound, code: str) -> tuple[int, int | None]:
    """(version_id, section_id) of a code in the round; a document code means the whole document."""
    for version in review_round.versions:
        if version.document.code == code:
            return version.id, None
    stmt = select(Section).where(Section.code == code, Section.version_id.in_([v.id for v in review_round.versions]))
    section = db.session.scalar(stmt)
    return section.version_id, section.id


def _input(review_round, spec, lang, n) -> FeedbackInput:
    code, kind, priority, covid, text = spec
    version_id, section_id = _section(review_round, code)
    principles = list(db.session.scalars(select(GuidingPrinciple.id).order_by(GuidingPrinciple.letter)))
    objectives = list(db.session.scalars(select(Objective.id).order_by(Objective.number)))
    return FeedbackInput(
        version_id=version_id,
        section_id=section_id,
        type=FeedbackType(kind),
        priority=Priority(priority),
        comment=text,
        proposed_change=None
        if n % 3
        else text.split(":")[0]
        + " — "
        + {"en": "new wording proposed.", "fr": "nouvelle formulation proposée.", "es": "nueva redacción propuesta."}[
            lang
        ],
        reference=f"p. {10 + n}, § {n % 5 + 1}" if n % 2 else None,
        language=FeedbackLanguage(lang),
        covid=covid,
        principle_ids=principles[n % 10 : n % 10 + 2],
        objective_ids=objectives[n % 23 : n % 23 + 1],
        usefulness_rating=(n % 5) + 1 if n % 4 == 0 else None,
        clarity_rating=((n + 2) % 5) + 1 if n % 4 == 0 else None,
    )


def _people(code: str) -> tuple[User, list[User]]:
    stmt = select(User).join(Country, User.country_id == Country.id).where(Country.code == code).order_by(User.id)
    users = db.session.scalars(stmt).all()
    focal = next(u for u in users if u.role == Role.focal_point)
    return focal, [u for u in users if u.role == Role.contributor]


def seed(today: date) -> None:
    """Create the demo feedback in every state and the guiding answers."""
    review_round = db.session.scalar(select(ReviewRound).order_by(ReviewRound.id.desc()))
    if review_round is None:
        return
    for country_code, lang in COUNTRY_LANG.items():
        focal, contributors = _people(country_code)
        authors = itertools.cycle(contributors)
        specs = COMMENTS[lang]
        items = []
        for n, spec in enumerate(specs):
            author = focal if n == len(specs) - 1 else next(authors)
            items.append(
                services.create_feedback(author, review_round, _input(review_round, spec, lang, n), today=today)
            )
        rest = items[1:]  # items[0] stays a draft
        for item in rest:
            services.submit_feedback(item.author, item, today=today)
        # Leave one submitted, return one with a note, merge one, withdraw one; forward the others.
        returned, merged_source, withdrawn = rest[1], rest[2], rest[3]  # rest[0] stays submitted
        consolidation.return_feedback(
            focal,
            returned,
            {
                "en": "Please add the page number and a proposed wording.",
                "fr": "Merci d’ajouter le numéro de page et une formulation.",
                "es": "Por favor, indique la página y una redacción alternativa.",
            }[lang],
        )
        services.withdraw_feedback(withdrawn.author, withdrawn)
        targets = [i for i in rest[4:] if i.state.value == "submitted"]
        if targets:
            consolidation.merge_feedback(focal, targets[0], merged_source)
        for item in rest[4:]:
            if item.state.value == "submitted":
                consolidation.forward_feedback(focal, item)
        questions = review_round.questions
        for question in questions[:2]:
            services.save_guiding_answer(
                contributors[0], review_round, question, ANSWERS[lang], expected_version=None, today=today
            )
        if country_code == "MA":
            for question in questions[2:]:
                services.save_guiding_answer(
                    focal, review_round, question, ANSWERS[lang], expected_version=None, today=today
                )
            services.submit_guiding_answers(focal, review_round, today=today)
    db.session.flush()
