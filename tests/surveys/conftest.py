import pytest

from initiativek.surveys.constants import QuestionKind
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.factories import QuestionFactory, QuestionnaireFactory, SectionFactory


@pytest.fixture
def questionnaire(db):
    """An open questionnaire with one question of every kind (keys = kind names); the
    percentage question is required."""
    questionnaire = QuestionnaireFactory(title="Homeoffice-Umfrage", slug="homeoffice")
    section = SectionFactory(questionnaire=questionnaire, title="Technik")
    for position, kind in enumerate(QuestionKind.values):
        QuestionFactory(
            questionnaire=questionnaire,
            section=section,
            key=kind.replace("_", "-"),
            text=f"Frage {kind}",
            kind=kind,
            position=position,
            required=kind == QuestionKind.PERCENTAGE,
            allow_other=kind == QuestionKind.MULTIPLE,
            unit="Geräte" if kind == QuestionKind.NUMBER else "",
            min_value=0 if kind == QuestionKind.NUMBER else None,
            max_value=500 if kind == QuestionKind.NUMBER else None,
            scale_min_label="gar nicht" if kind == QuestionKind.SCALE else "",
            scale_max_label="sehr stark" if kind == QuestionKind.SCALE else "",
        )
    return questionnaire


@pytest.fixture
def town(db):
    return OrganizationFactory(name="Ravensburg", slug="ravensburg")


@pytest.fixture
def editor(town):
    return MembershipFactory(organization=town, editor=True).user


def q(questionnaire, key):
    return questionnaire.questions.get(key=key)
