"""Aggregation of the results against hand-counted fixtures (issue 5 item 4).

``build_survey``: four submitted responses and one draft.

| org     | size (pop.)     | Bezirk | single | multiple       | y/n  | scale | number | % |
|---------|-----------------|--------|--------|----------------|------|-------|--------|---|
| Aach    | 0 (3.000)       | 084    | VPN    | Laptop, Tablet | ja   | 4 | 10  | 20  |
| Bbach   | 5.000 (12.000)  | 081    | VDI    | Laptop         | ja   | 2 | 30  | 55  |
| Cstadt  | 50.000 (60.000) | 084    | VPN    | Laptop, Phone  | nein | 5 | 50  | 90  |
| SW Cst. | parent's        | parent | Sonst. | –              | ja   | 4 | 100 | 100 |
| Dorf    | draft – never counted    | VDI    | Tablet         | nein | 1 | 999 | 0   |
"""

from decimal import Decimal

import pytest

from initiativek.organizations.constants import OrganizationKind
from initiativek.surveys.constants import QuestionKind
from initiativek.surveys.results import aggregate_compute
from initiativek.surveys.results.aggregate import OTHER
from tests.organizations.factories import OrganizationFactory
from tests.surveys.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SectionFactory,
)


class Survey:
    """The questionnaire, its questions by short name and the organizations by name."""

    def __init__(self):
        self.questionnaire = QuestionnaireFactory(title="Homeoffice", slug="ho")
        section = SectionFactory(questionnaire=self.questionnaire, title="Technik")
        make = lambda key, kind, **kw: QuestionFactory(  # noqa: E731
            questionnaire=self.questionnaire,
            section=section,
            key=key,
            text=f"{key}?",
            kind=kind,
            **kw,
        )
        self.single = make(
            "zugang", QuestionKind.SINGLE, choices=["VPN", "VDI", "Cloud"], allow_other=True
        )
        self.multiple = make(
            "geraete", QuestionKind.MULTIPLE, choices=["Laptop", "Tablet", "Smartphone"]
        )
        self.yes_no = make("eakte", QuestionKind.YES_NO)
        self.scale = make(
            "belastung",
            QuestionKind.SCALE,
            scale_min_label="gar nicht",
            scale_max_label="sehr stark",
        )
        self.number = make("anzahl", QuestionKind.NUMBER, unit="Geräte")
        self.percent = make("anteil", QuestionKind.PERCENTAGE)
        self.text = make("lehren", QuestionKind.TEXT)
        self.orgs = {}

    def choice(self, question, label):
        return question.choices.get(label=label)

    def respond(
        self,
        org,
        *,
        submitted=True,
        single=None,
        multiple=(),
        yes=None,
        scale=None,
        number=None,
        percent=None,
        text="",
        other="",
        **response_fields,
    ):
        response = ResponseFactory(
            questionnaire=self.questionnaire,
            organization=org,
            submitted=submitted,
            **response_fields,
        )
        if single or other:
            AnswerFactory(
                response=response,
                question=self.single,
                other_text=other,
                choices=[self.choice(self.single, single)] if single else [],
            )
        if multiple:
            AnswerFactory(
                response=response,
                question=self.multiple,
                choices=[self.choice(self.multiple, label) for label in multiple],
            )
        for question, field, value in (
            (self.yes_no, "bool_value", yes),
            (self.scale, "number_value", scale),
            (self.number, "number_value", number),
            (self.percent, "number_value", percent),
        ):
            if value is not None:
                AnswerFactory(response=response, question=question, **{field: value})
        if text:
            AnswerFactory(response=response, question=self.text, text_value=text)
        return response


def build_survey() -> Survey:
    s = Survey()
    aach = OrganizationFactory(name="Aach", slug="aach", population=3000, ags="08416001")
    bbach = OrganizationFactory(name="Bbach", slug="bbach", population=12000, ags="08111000")
    cstadt = OrganizationFactory(name="Cstadt", slug="cstadt", population=60000, ags="08416041")
    werke = OrganizationFactory(
        name="Stadtwerke Cstadt", slug="sw-cstadt", kind=OrganizationKind.STADTWERKE, parent=cstadt
    )
    draft = OrganizationFactory(name="Dorf", slug="dorf", population=500, ags="08416002")
    s.orgs = {"aach": aach, "bbach": bbach, "cstadt": cstadt, "werke": werke, "draft": draft}
    s.respond(
        aach,
        single="VPN",
        multiple=["Laptop", "Tablet"],
        yes=True,
        scale=4,
        number=10,
        percent=20,
        text="Mehr Laptops kaufen",
        consent_named_text=True,
        consent_contact=True,
    )
    s.respond(
        bbach,
        single="VDI",
        multiple=["Laptop"],
        yes=True,
        scale=2,
        number=30,
        percent=55,
        text="Früher VPN ausbauen",
    )
    s.respond(
        cstadt,
        single="VPN",
        multiple=["Laptop", "Smartphone"],
        yes=False,
        scale=5,
        number=50,
        percent=90,
        consent_contact=True,
    )
    s.respond(
        werke,
        other="Citrix",
        yes=True,
        scale=4,
        number=100,
        percent=100,
        text="Alles gut",
        consent_named_text=True,
    )
    s.respond(
        draft,
        submitted=False,
        single="VDI",
        multiple=["Tablet"],
        yes=False,
        scale=1,
        number=999,
        percent=0,
        text="Entwurfstext",
        consent_named_text=True,
        consent_contact=True,
    )
    return s


@pytest.fixture
def survey(db):
    return build_survey()


def _stats(aggregate, group, question):
    return aggregate.stats[group][question.pk]


def test_only_submitted_responses_count(survey):
    aggregate = aggregate_compute(questionnaire=survey.questionnaire)

    assert aggregate.total == 4
    assert _stats(aggregate, "alle", survey.single).answered == 4
    assert all(entry.text != "Entwurfstext" for entry in aggregate.texts[survey.text.pk])


def test_single_choice_counts_choices_and_other(survey):
    stats = _stats(aggregate_compute(questionnaire=survey.questionnaire), "alle", survey.single)

    choice = lambda label: survey.choice(survey.single, label).pk  # noqa: E731
    assert stats.counts == {choice("VPN"): 2, choice("VDI"): 1, OTHER: 1}


def test_multiple_choice_counts_each_pick_of_those_who_answered(survey):
    stats = _stats(aggregate_compute(questionnaire=survey.questionnaire), "alle", survey.multiple)

    choice = lambda label: survey.choice(survey.multiple, label).pk  # noqa: E731
    assert stats.answered == 3
    assert stats.counts == {
        choice("Laptop"): 3,
        choice("Tablet"): 1,
        choice("Smartphone"): 1,
        OTHER: 0,
    }


def test_yes_no_counts(survey):
    stats = _stats(aggregate_compute(questionnaire=survey.questionnaire), "alle", survey.yes_no)

    assert (stats.answered, stats.counts) == (4, {True: 3, False: 1})


def test_scale_mean_and_median_for_even_n(survey):
    stats = _stats(aggregate_compute(questionnaire=survey.questionnaire), "alle", survey.scale)

    # 2, 4, 4, 5
    assert stats.counts == {2: 1, 4: 2, 5: 1}
    assert stats.summary.n == 4
    assert stats.summary.mean == Decimal("3.75")
    assert stats.summary.median == Decimal(4)
    assert (stats.summary.minimum, stats.summary.maximum) == (2, 5)


def test_number_mean_median_and_bins_for_even_n(survey):
    aggregate = aggregate_compute(questionnaire=survey.questionnaire)
    stats = _stats(aggregate, "alle", survey.number)

    # 10, 30, 50, 100
    assert stats.summary.mean == Decimal("47.5")
    assert stats.summary.median == Decimal(40)
    labels = [bucket.label for bucket in aggregate.questions[survey.number.pk].buckets]
    assert labels == [
        "0 bis unter 20 Geräte",
        "20 bis unter 40 Geräte",
        "40 bis unter 60 Geräte",
        "60 bis unter 80 Geräte",
        "80 bis 100 Geräte",
    ]
    assert stats.counts == {0: 1, 1: 1, 2: 1, 4: 1}


def test_percentage_bins_of_ten_points(survey):
    aggregate = aggregate_compute(questionnaire=survey.questionnaire)
    stats = _stats(aggregate, "alle", survey.percent)

    # 20, 55, 90, 100
    assert stats.summary.mean == Decimal("66.25")
    assert stats.summary.median == Decimal("72.5")
    assert stats.counts == {2: 1, 5: 1, 9: 2}
    buckets = aggregate.questions[survey.percent.pk].buckets
    assert (buckets[0].label, buckets[-1].label) == ("0 bis unter 10\u00a0%", "90 bis 100\u00a0%")


def test_odd_n_median_in_regierungsbezirk(survey):
    aggregate = aggregate_compute(questionnaire=survey.questionnaire)

    # Bezirk 084: Aach, Cstadt and its Stadtwerke (by the parent's AGS) – scale 4, 5, 4
    scale = _stats(aggregate, "bezirk-084", survey.scale).summary
    number = _stats(aggregate, "bezirk-084", survey.number).summary
    assert (scale.n, scale.median, scale.minimum, scale.maximum) == (3, 4, 4, 5)
    assert scale.mean.quantize(Decimal("0.001")) == Decimal("4.333")
    assert (number.median, number.mean.quantize(Decimal("0.01"))) == (50, Decimal("53.33"))


def test_groups_count_responses_by_size_class_and_bezirk(survey):
    aggregate = aggregate_compute(questionnaire=survey.questionnaire)

    responses = {group.key: group.responses for group in aggregate.groups}
    assert responses == {
        "alle": 4,
        "groesse-0": 1,
        "groesse-5000": 1,
        "groesse-20000": 0,
        "groesse-50000": 2,  # Cstadt and its Stadtwerke, by the parent's population
        "groesse-100000": 0,
        "bezirk-081": 1,
        "bezirk-084": 3,
    }


def test_retired_questions_keep_their_results(survey):
    survey.yes_no.is_retired = True
    survey.yes_no.save()

    aggregate = aggregate_compute(questionnaire=survey.questionnaire)

    assert aggregate.questions[survey.yes_no.pk].is_retired
    assert _stats(aggregate, "alle", survey.yes_no).answered == 4


def test_free_texts_named_only_with_consent_and_ordered_by_text(survey):
    aggregate = aggregate_compute(questionnaire=survey.questionnaire)

    texts = [(entry.text, entry.organization) for entry in aggregate.texts[survey.text.pk]]
    assert texts == [
        ("Alles gut", "Stadtwerke Cstadt"),
        ("Früher VPN ausbauen", ""),
        ("Mehr Laptops kaufen", "Aach"),
    ]
    assert aggregate.texts[survey.single.pk][0].text == "Citrix"
    assert aggregate.text_totals[survey.text.pk] == 3


def test_anonymous_texts_are_not_ordered_by_organization_or_response(db):
    s = Survey()
    # Created in name order, so response ids and names both run Z→A against the text order.
    for name, text in (("Aa", "zzz"), ("Bb", "yyy"), ("Cc", "xxx")):
        s.respond(OrganizationFactory(name=name), text=text)

    aggregate = aggregate_compute(questionnaire=s.questionnaire)

    assert [entry.text for entry in aggregate.texts[s.text.pk]] == ["xxx", "yyy", "zzz"]


def test_contacts_list_only_organizations_that_consented(survey):
    aggregate = aggregate_compute(questionnaire=survey.questionnaire)
    contacts = aggregate.contacts

    names = lambda question, key: [n for n, _url in contacts[question.pk][key].organizations]  # noqa: E731
    vpn = survey.choice(survey.single, "VPN").pk
    vdi = survey.choice(survey.single, "VDI").pk
    assert names(survey.single, vpn) == ["Aach", "Cstadt"]
    assert vdi not in contacts[survey.single.pk]  # Bbach didn't agree; the draft doesn't count
    assert names(survey.yes_no, True) == ["Aach"]
    assert names(survey.yes_no, False) == ["Cstadt"]
    assert names(survey.scale, 5) == ["Cstadt"]
    assert 1 not in contacts[survey.scale.pk]
    assert (
        contacts[survey.single.pk][vpn].organizations[0][1]
        == survey.orgs["aach"].get_absolute_url()
    )


def test_contacts_are_limited_per_option_with_the_total(db):
    s = Survey()
    for index in range(7):
        s.respond(OrganizationFactory(name=f"Ort {index}"), yes=True, consent_contact=True)

    contacts = aggregate_compute(questionnaire=s.questionnaire).contacts[s.yes_no.pk][True]

    assert contacts.total == 7
    assert [name for name, _url in contacts.organizations] == [f"Ort {i}" for i in range(5)]


def test_demo_responses_are_flagged(survey):
    assert not aggregate_compute(questionnaire=survey.questionnaire).has_demo

    survey.questionnaire.responses.filter(organization=survey.orgs["aach"]).update(is_demo=True)

    assert aggregate_compute(questionnaire=survey.questionnaire).has_demo


def test_demo_drafts_dont_flag_the_results(survey):
    survey.questionnaire.responses.filter(organization=survey.orgs["draft"]).update(is_demo=True)

    assert not aggregate_compute(questionnaire=survey.questionnaire).has_demo
