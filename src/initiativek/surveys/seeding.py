"""Demo answers to the home-office questionnaire (called by ``seed_demo``); idempotent.

Every demo member town of the announcement gets one submitted response with invented but
plausible values: the key figures are written per town, the rest is drawn from a random
generator with a fixed seed per town, so every run produces the same answers. Free texts end
with „(Demodaten)“ so nobody mistakes them for real experience.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from initiativek.organizations.constants import OrganizationKind
from initiativek.organizations.models import Organization

from . import engine, permissions
from .constants import QuestionKind, QuestionnaireStatus, ResponseAction, ResponseStatus
from .definitions import HOMEOFFICE, definition_apply, real_models
from .models import Answer, Question, Questionnaire, Response, ResponseChange

DEMO_MARK = "(Demodaten)"
OPENS_DAYS_AGO = 30
CLOSES_IN_DAYS = 60
SKIP_OPTIONAL_SHARE = 0.1  # some optional questions stay unanswered, as in real responses


@dataclass(frozen=True)
class DemoTown:
    """The hand-written key figures of one town's demo response (shares in percent)."""

    ags: str
    able_before: int
    able_2021: int
    used_2021: int
    mobile_devices: int
    consent_contact: bool
    consent_named_text: bool


DEMO_TOWNS = (
    DemoTown("08436064", 15, 70, 45, 420, True, True),  # Ravensburg: the demo accounts' town
    DemoTown("08326074", 10, 55, 35, 380, True, False),  # Villingen-Schwenningen
    DemoTown("08115021", 20, 80, 50, 260, True, True),  # Herrenberg
    DemoTown("08136065", 8, 60, 40, 350, True, False),  # Schwäbisch Gmünd
    DemoTown("08211000", 12, 65, 38, 400, False, False),  # Baden-Baden
    DemoTown("08335043", 25, 85, 55, 700, True, True),  # Konstanz
    DemoTown("08135019", 18, 75, 48, 330, True, False),  # Heidenheim an der Brenz
    DemoTown("08119079", 5, 50, 30, 300, False, False),  # Waiblingen
)

DEMO_TEXTS = {
    "aufgaben-vor-ort-gruende": (
        "Für Ausweise, Meldeangelegenheiten und Trauungen ist die persönliche Vorsprache "
        "vorgeschrieben; die Fachverfahren des Standesamts waren nur im Verwaltungsnetz "
        "erreichbar.",
        "Viele Vorgänge liegen noch in Papierakten, die das Haus nicht verlassen dürfen. Die "
        "Kasse braucht das Vier-Augen-Prinzip vor Ort.",
        "Einige Fachverfahren liefen nicht auf dem Terminalserver, und ihre Lizenzen waren an "
        "Arbeitsplätze im Rathaus gebunden.",
        "Der Posteingang wurde noch nicht gescannt; Unterlagen mit Sozialdaten durften nach "
        "unserer Dienstanweisung nicht mit nach Hause genommen werden.",
        "Für die Kasse fehlte eine sichere Anbindung des Zahlungsverkehrs von außen.",
        "Einzelne Fachverfahren setzen besondere Hardware voraus, etwa Kartenlesegeräte.",
    ),
    "erkenntnisse": (
        "Die Umstellung gelang schneller als gedacht, weil VPN-Zugänge und Notebooks teilweise "
        "schon vorhanden waren. Klare Regeln zur Erreichbarkeit hätten wir früher gebraucht.",
        "Ohne elektronische Akte bleibt Homeoffice Stückwerk. Wir haben die Einführung der "
        "eAkte deshalb vorgezogen.",
        "Videokonferenzen sparen viele Dienstfahrten. Führungskräfte brauchen Unterstützung, "
        "um Teams auf Distanz zu führen.",
        "Die IT war wochenlang am Limit; ein Notfallplan mit vorbereiteten Geräten und Lizenzen "
        "hätte viel Druck genommen.",
        "Die Beschäftigten schätzen die Flexibilität sehr; Homeoffice ist inzwischen ein "
        "Argument bei der Personalgewinnung.",
        "Viele Abläufe waren auf Papier und Unterschriften ausgelegt. Wir haben Freigaben auf "
        "elektronische Wege umgestellt, das wirkt bis heute nach.",
        "Der Austausch im Team leidet, wenn alle zu Hause sind. Feste Präsenztage haben sich "
        "bewährt.",
        "Die Zusammenarbeit mit unserem IT-Dienstleister war entscheidend; gemeinsame "
        "Beschaffungen mit Nachbarkommunen hätten Lieferengpässe gemildert.",
    ),
    "empfehlung": (
        "Mit einer Dienstvereinbarung beginnen und den Personalrat früh einbinden.",
        "Notebooks statt Desktop-Rechner beschaffen und Fachverfahren auf Fernzugriff prüfen, "
        "bevor man ihn braucht.",
        "Den Posteingang digitalisieren – das entlastet alle, die sonst vor Ort Papier "
        "verteilen müssten.",
        "Schulungen für Beschäftigte und Führungskräfte anbieten, nicht nur Technik verteilen.",
        "Die Kapazität von VPN und Internetanschluss großzügig planen und regelmäßig testen.",
        "Erfahrungen mit anderen Kommunen austauschen – viele Fragen stellen sich überall gleich.",
    ),
}
FALLBACK_TEXT = "Beispielantwort"

# Options every demo town picks, and options no demo town picks (implausible with the rest).
ALWAYS = {
    "fernzugriff": {"VPN (Virtual Private Network)"},
    "geraete": {"dienstliche Notebooks"},
}
NEVER = {"videokonferenz-system": {"kein Videokonferenzsystem"}}

# „Sonstiges“ answers of single towns: (AGS, question key) → text.
OTHER_TEXTS = {
    ("08115021", "hindernisse"): "Kinderbetreuung während der Schul- und Kitaschließungen",
    ("08335043", "massnahmen-gesundheit"): "Online-Sprechstunde des Betriebsarztes",
}

# Follow-up question → the question it builds on: left out where that one is empty or 0.
FOLLOW_UPS = {"eakte-nutzen": "eakte-anteil", "aufgaben-vor-ort-gruende": "aufgaben-vor-ort"}

YES_SHARE = {"gremiensitzungen-video": 0.6, "posteingang-digital": 0.4, "desk-sharing": 0.3}


def _demo_text(text: str) -> str:
    return f"{text} {DEMO_MARK}"


def _choices_value(question: Question, town: DemoTown, rng: random.Random) -> engine.AnswerValue:
    ids = {choice.label: choice.pk for choice in question.choices.all()}
    allowed = [label for label in ids if label not in NEVER.get(question.key, set())]
    other = OTHER_TEXTS.get((town.ags, question.key), "")
    other = _demo_text(other) if other and question.allow_other else ""
    if question.kind == QuestionKind.SINGLE:
        picked = [] if other else [rng.choice(allowed)]
    else:
        picked = [label for label in allowed if label in ALWAYS.get(question.key, set())]
        rest = [label for label in allowed if label not in picked]
        picked += rng.sample(rest, rng.randint(1, min(3, len(rest)))) if rest else []
    return engine.AnswerValue(choice_ids=tuple(sorted(ids[label] for label in picked)), other=other)


def _town_figures(town: DemoTown) -> dict[str, int]:
    """The hand-written answers of a town (question key → number); never left out."""
    return {
        "anteil-moeglich-vorher": town.able_before,
        "anteil-moeglich-2021": town.able_2021,
        "anteil-genutzt-2021": town.used_2021,
        "mobile-geraete-anzahl": town.mobile_devices,
    }


def _number(question: Question, town: DemoTown, rng: random.Random) -> int:
    """The number for a scale, number or percentage question."""
    fixed = _town_figures(town)
    if question.key in fixed:
        return fixed[question.key]
    if question.key == "arbeitsplaetze-belegt":
        return max(10, min(95, 100 - town.used_2021 + rng.randrange(-10, 10, 5)))
    if question.key == "eakte-anteil":
        return rng.choice([0, 10, 20, 30, 50, 70])
    if question.key == "eakte-nutzen":
        return rng.randint(2, 5)
    if question.key == "it-belastung":
        return rng.randint(3, 5)
    low, high = engine.value_range(question)
    bottom = math.ceil(low) if low is not None else 0
    return rng.randint(bottom, math.floor(high) if high is not None else max(bottom, 100))


def _value(
    question: Question, town: DemoTown, index: int, rng: random.Random
) -> engine.AnswerValue:
    """The demo answer of ``town`` (the ``index``-th demo town) to ``question``."""
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return _choices_value(question, town, rng)
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.PERCENTAGE):
        return engine.AnswerValue(number=Decimal(_number(question, town, rng)))
    if kind == QuestionKind.YES_NO:
        return engine.AnswerValue(boolean=rng.random() < YES_SHARE.get(question.key, 0.5))
    texts = DEMO_TEXTS.get(question.key, (FALLBACK_TEXT,))
    return engine.AnswerValue(text=_demo_text(texts[index % len(texts)]))


def _demo_values(
    questions: list[Question], town: DemoTown, index: int
) -> dict[int, engine.AnswerValue]:
    """The demo answers of one town (question pk → value); the same on every run."""
    rng = random.Random(f"initiativek-homeoffice-demo-{town.ags}")  # noqa: S311 – demo values
    values: dict[int, engine.AnswerValue] = {}
    answered: dict[str, bool] = {}
    for question in questions:
        value = _value(question, town, index, rng)
        optional = not question.required and question.key not in _town_figures(town)
        if optional and rng.random() < SKIP_OPTIONAL_SHARE:
            value = engine.EMPTY
        prerequisite = FOLLOW_UPS.get(question.key)
        if prerequisite and not answered.get(prerequisite):
            value = engine.EMPTY
        answered[question.key] = not value.is_empty and value.number != 0
        if not value.is_empty:
            values[question.pk] = value
    return values


def _response_create(
    questionnaire: Questionnaire,
    organization: Organization,
    town: DemoTown,
    questions: list[Question],
    values: dict[int, engine.AnswerValue],
) -> Response:
    """Store a submitted demo response; every value is checked by the engine first (an
    invalid demo value is a bug and raises ValidationError)."""
    by_pk = {question.pk: question for question in questions}
    for pk, value in values.items():
        question = by_pk[pk]
        engine.value_check(question, value, choice_ids=[c.pk for c in question.choices.all()])
    if engine.missing_required(questions, values):
        raise ValueError("A demo response must answer every required question.")
    response = Response.objects.create(
        questionnaire=questionnaire,
        organization=organization,
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
        consent_contact=town.consent_contact,
        consent_named_text=town.consent_named_text,
        is_demo=True,
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question_id=pk,
            other_text=value.other,
            number_value=value.number,
            bool_value=value.boolean,
            text_value=value.text,
        )
        for pk, value in values.items()
    )
    answer_ids = dict(response.answers.values_list("question_id", "pk"))
    Answer.choices.through.objects.bulk_create(
        Answer.choices.through(answer_id=answer_ids[pk], choice_id=choice_id)
        for pk, value in values.items()
        for choice_id in value.choice_ids
    )
    ResponseChange.objects.create(response=response, action=ResponseAction.SUBMITTED)
    return response


def _publish(questionnaire: Questionnaire) -> None:
    """Open a questionnaire that is still a draft: since 30 days, for another 60 days."""
    if questionnaire.is_template or questionnaire.status != QuestionnaireStatus.DRAFT:
        return
    today = timezone.localdate()
    questionnaire.status = QuestionnaireStatus.PUBLISHED
    questionnaire.opens_on = today - datetime.timedelta(days=OPENS_DAYS_AGO)
    questionnaire.closes_on = today + datetime.timedelta(days=CLOSES_IN_DAYS)
    questionnaire.full_clean()
    questionnaire.save()


def _demo_organizations(questionnaire: Questionnaire) -> dict[str, Organization]:
    """The demo member towns in the questionnaire's audience, by AGS – never partners or
    other organizations."""
    organizations = Organization.objects.filter(
        ags__in=[town.ags for town in DEMO_TOWNS], is_member=True
    ).exclude(kind=OrganizationKind.LANDKREIS)
    return {
        organization.ags: organization
        for organization in organizations
        if permissions.is_in_audience(questionnaire, organization)
    }


@transaction.atomic
def seed_demo_surveys() -> int:
    """Publish the home-office questionnaire if it is a draft and add a submitted demo
    response for every demo member town that has none yet; returns how many were created.

    Expects the demo towns of ``organizations.demo`` (``seed_demo`` creates them); towns that
    are missing or no members are skipped. Running it again changes nothing.
    """
    questionnaire = definition_apply(HOMEOFFICE, models=real_models())
    _publish(questionnaire)
    questions = list(
        questionnaire.questions.filter(is_retired=False)
        .prefetch_related("choices")
        .order_by("section__position", "section_id", "position", "id")
    )
    answered = set(questionnaire.responses.values_list("organization_id", flat=True))
    organizations = _demo_organizations(questionnaire)
    created = 0
    for index, town in enumerate(DEMO_TOWNS):
        organization = organizations.get(town.ags)
        if organization is None or organization.pk in answered:
            continue
        values = _demo_values(questions, town, index)
        _response_create(questionnaire, organization, town, questions, values)
        created += 1
    if created:
        Questionnaire.objects.filter(pk=questionnaire.pk).update(
            results_version=F("results_version") + 1
        )
    return created
