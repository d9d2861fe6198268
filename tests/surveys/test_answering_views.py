"""Filling in the questionnaire on the web: drafts keep everything valid, errors keep what
was typed, submission, read-only views and who may see what."""

import pytest
from django.urls import reverse

from initiativek.surveys.constants import ResponseStatus
from initiativek.surveys.models import Answer, Response
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.conftest import q
from tests.surveys.factories import QuestionnaireFactory


def answer_url(questionnaire, organization):
    return reverse("surveys:answer", args=[questionnaire.slug, organization.slug])


def form_data(questionnaire, seen=None, **by_key):
    """POST data as the form sends it; ``seen`` from ``loaded()`` (what the page showed)."""
    data = {"seen": seen} if seen is not None else {}
    for key, value in by_key.items():
        data[f"q{q(questionnaire, key.replace('_', '-')).pk}"] = value
    return data


def loaded(client, questionnaire, organization) -> str:
    """The fingerprints of what the form showed when the page was loaded."""
    page = client.get(answer_url(questionnaire, organization))
    return page.context["form"]["seen"].value()


def test_the_editor_sees_every_question_of_the_form(questionnaire, town, editor):
    body = client_for(editor).get(answer_url(questionnaire, town)).content.decode()
    assert "Antwortbogen von Ravensburg" in body
    for key in ("single", "multiple", "scale", "number", "percentage", "yes-no", "text"):
        assert f'id="frage-{key}"' in body
    assert "1 – gar nicht" in body
    assert "Geräte" in body
    assert "Entwurf speichern" in body


def test_a_draft_keeps_the_valid_answers_and_the_typed_invalid_one(questionnaire, town, editor):
    data = form_data(questionnaire, text="Alles lief über VPN", number="12345", yes_no="ja")
    data["action"] = "save"
    response = client_for(editor).post(answer_url(questionnaire, town), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bitte geben Sie einen Wert von 0 bis 500 an." in body
    assert 'value="12345"' in body  # what was typed is still there
    assert "Alles lief über VPN" in body
    stored = {a.question.key: a for a in Answer.objects.select_related("question")}
    assert stored["text"].text_value == "Alles lief über VPN"
    assert stored["yes-no"].bool_value is True
    assert "number" not in stored


def test_submitting_an_incomplete_form_saves_a_draft_and_points_to_the_gaps(
    questionnaire, town, editor
):
    data = form_data(questionnaire, text="Teilweise")
    data["action"] = "submit"
    response = client_for(editor).post(answer_url(questionnaire, town), data)
    assert response.status_code == 200
    assert "Bitte beantworten Sie diese Pflichtfrage." in response.content.decode()
    saved = Response.objects.get()
    assert saved.status == ResponseStatus.DRAFT
    assert saved.answers.get().text_value == "Teilweise"


def test_a_complete_form_is_submitted(questionnaire, town, editor):
    single = q(questionnaire, "single")
    multiple = q(questionnaire, "multiple")
    data = form_data(
        questionnaire, percentage="40,5", scale="4", single=str(single.choices.first().pk)
    )
    data[f"q{multiple.pk}"] = [str(multiple.choices.last().pk), "other"]
    data[f"q{multiple.pk}_other"] = "Citrix"
    data["consent_contact"] = "on"
    data["action"] = "submit"
    response = client_for(editor).post(answer_url(questionnaire, town), data)
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.status == ResponseStatus.SUBMITTED
    assert saved.consent_contact is True
    answer = saved.answers.get(question=multiple)
    assert answer.other_text == "Citrix"
    assert list(answer.choices.values_list("label", flat=True)) == ["C"]
    assert saved.answers.get(question__key="percentage").number_value == 40.5


def test_a_forged_choice_is_refused_with_a_message(questionnaire, town, editor):
    data = form_data(questionnaire, single="999999")
    data["action"] = "save"
    body = client_for(editor).post(answer_url(questionnaire, town), data).content.decode()
    assert "Diese Antwortmöglichkeit gibt es bei dieser Frage nicht." in body
    assert not Answer.objects.exists()


def test_a_forged_question_is_named_and_the_rest_saved(questionnaire, town, editor):
    data = form_data(questionnaire, text="bleibt")
    data["q999999"] = "x"
    data["action"] = "save"
    body = client_for(editor).post(answer_url(questionnaire, town), data).content.decode()
    assert "die es in diesem Fragebogen nicht (mehr) gibt" in body
    assert Answer.objects.get().text_value == "bleibt"


def test_a_stale_page_does_not_overwrite_a_colleagues_answer(questionnaire, town, editor):
    colleague = MembershipFactory(organization=town, admin=True).user
    mine = client_for(editor)
    seen = loaded(mine, questionnaire, town)  # the editor opens the form …
    first = form_data(questionnaire, seen=loaded(client_for(colleague), questionnaire, town))
    first.update({f"q{q(questionnaire, 'text').pk}": "vom Kollegen", "action": "save"})
    first[f"q{q(questionnaire, 'number').pk}"] = "5"
    client_for(colleague).post(answer_url(questionnaire, town), first)  # … a colleague saves
    stale = form_data(questionnaire, seen=seen, text="meine Fassung", yes_no="ja")
    stale["action"] = "save"
    page = mine.post(answer_url(questionnaire, town), stale)
    body = page.content.decode()
    assert "inzwischen von" in body
    assert "meine Fassung" in body  # what the editor typed is still in the form
    stored = {a.question.key: a for a in Answer.objects.select_related("question")}
    assert stored["text"].text_value == "vom Kollegen"
    assert stored["number"].number_value == 5  # untouched by the editor: kept
    assert stored["yes-no"].bool_value is True  # no conflict: saved
    assert page.context["form"]["q" + str(q(questionnaire, "number").pk)].value() == "5"
    # Saving again after seeing the colleague's answer takes the editor's text.
    again = form_data(questionnaire, seen=page.context["form"]["seen"].value())
    again.update({k: v for k, v in stale.items() if k != "seen"})
    again[f"q{q(questionnaire, 'number').pk}"] = "5"
    assert mine.post(answer_url(questionnaire, town), again).status_code == 302
    assert Answer.objects.get(question__key="text").text_value == "meine Fassung"


def test_saving_an_untouched_form_creates_no_response(questionnaire, town, editor):
    client = client_for(editor)
    data = form_data(questionnaire, seen=loaded(client, questionnaire, town))
    client.post(answer_url(questionnaire, town), {**data, "action": "save"})
    assert not Response.objects.exists()


def test_input_sent_after_closing_is_shown_again_not_lost(questionnaire, town, editor):
    client = client_for(editor)
    seen = loaded(client, questionnaire, town)
    questionnaire.closes_on = questionnaire.opens_on
    questionnaire.opens_on = questionnaire.opens_on.replace(year=questionnaire.opens_on.year - 1)
    questionnaire.save()
    data = form_data(questionnaire, seen=seen, text="Nicht verlieren!")
    data["action"] = "save"
    page = client.post(answer_url(questionnaire, town), data)
    body = page.content.decode()
    assert "nicht mehr offen" in body
    assert "Nicht verlieren!" in body
    assert not Answer.objects.exists()


def test_members_posting_get_the_refusal(questionnaire, town, editor):
    client_for(editor).post(
        answer_url(questionnaire, town), {**form_data(questionnaire, text="x"), "action": "save"}
    )
    member = MembershipFactory(organization=town).user
    data = {**form_data(questionnaire, text="geändert"), "action": "save"}
    response = client_for(member).post(answer_url(questionnaire, town), data)
    assert response.status_code == 403
    assert Answer.objects.get().text_value == "x"


def test_huge_numbers_get_a_message_not_an_error(questionnaire, town, editor):
    data = {
        **form_data(questionnaire, number="1e1000000", percentage="-1e999999999"),
        "action": "save",
    }
    body = client_for(editor).post(answer_url(questionnaire, town), data).content.decode()
    assert "Diese Zahl ist zu groß." in body


def test_a_submitted_response_refuses_changes_that_leave_it_incomplete(questionnaire, town, editor):
    client = client_for(editor)
    data = form_data(questionnaire, percentage="40")
    data["action"] = "submit"
    client.post(answer_url(questionnaire, town), data)
    data = form_data(
        questionnaire, seen=loaded(client, questionnaire, town), percentage="", text="neu"
    )
    data["action"] = "save"
    body = client.post(answer_url(questionnaire, town), data).content.decode()
    assert "Bitte beantworten Sie diese Pflichtfrage." in body
    assert not Answer.objects.filter(question__key="text").exists()
    assert Response.objects.get().status == ResponseStatus.SUBMITTED


def test_reopening_a_submitted_response(questionnaire, town, editor):
    client = client_for(editor)
    data = form_data(questionnaire, percentage="40")
    data["action"] = "submit"
    client.post(answer_url(questionnaire, town), data)
    url = reverse("surveys:response-reopen", args=[questionnaire.slug, town.slug])
    assert client.post(url).status_code == 302
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_plain_members_read_their_organizations_response_but_cannot_change_it(
    questionnaire, town, editor
):
    data = form_data(questionnaire, text="gespeichert")
    data["action"] = "save"
    client_for(editor).post(answer_url(questionnaire, town), data)
    member = MembershipFactory(organization=town).user
    client = client_for(member)
    page = client.get(answer_url(questionnaire, town))
    assert page.status_code == 200
    assert "nur zum Lesen" in page.content.decode()
    data["q" + str(q(questionnaire, "text").pk)] = "geändert"
    client.post(answer_url(questionnaire, town), data)
    assert Answer.objects.get().text_value == "gespeichert"


def test_editors_of_another_organization_get_a_clear_refusal(questionnaire, town):
    stranger = MembershipFactory(organization=OrganizationFactory(), editor=True).user
    response = client_for(stranger).get(answer_url(questionnaire, town))
    assert response.status_code == 403
    assert "Nur die Redaktion von Ravensburg" in response.content.decode()
    data = form_data(questionnaire, text="fremd")
    data["action"] = "save"
    assert client_for(stranger).post(answer_url(questionnaire, town), data).status_code == 403
    assert not Answer.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, questionnaire, town):
    response = client.get(answer_url(questionnaire, town))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_closed_questionnaire_cannot_be_answered_any_more(town, editor):
    questionnaire = QuestionnaireFactory(closed=True)
    response = client_for(editor).get(answer_url(questionnaire, town))
    assert response.status_code == 302


def test_drafts_are_invisible_to_members(town, editor):
    questionnaire = QuestionnaireFactory(draft=True)
    assert client_for(editor).get(answer_url(questionnaire, town)).status_code == 404
    detail = reverse("surveys:detail", args=[questionnaire.slug])
    assert client_for(editor).get(detail).status_code == 404


def test_history_shows_who_changed_what(questionnaire, town, editor):
    editor.name = "Robin Redaktion"
    editor.save()
    data = form_data(questionnaire, text="erste Fassung")
    data["action"] = "save"
    client_for(editor).post(answer_url(questionnaire, town), data)
    url = reverse("surveys:response-history", args=[questionnaire.slug, town.slug])
    body = client_for(editor).get(url).content.decode()
    assert "Robin Redaktion" in body
    assert "erste Fassung" in body
    stranger = MembershipFactory(organization=OrganizationFactory(), editor=True).user
    assert client_for(stranger).get(url).status_code == 404


def test_team_previews_the_form_but_members_may_not(questionnaire, team_user, editor):
    url = reverse("surveys:preview", args=[questionnaire.slug])
    body = client_for(team_user).get(url).content.decode()
    assert "Vorschau" in body
    assert "Abschicken" not in body
    assert client_for(editor).get(url).status_code == 403


def test_list_shows_what_the_organization_still_has_to_answer(questionnaire, town, editor):
    body = client_for(editor).get(reverse("surveys:list")).content.decode()
    assert "Für Ihre Organisation zu beantworten" in body
    assert "Jetzt beantworten" in body
    assert answer_url(questionnaire, town) in body


def test_list_invites_visitors_to_sign_in_and_hides_questionnaires(client, questionnaire):
    body = client.get(reverse("surveys:list")).content.decode()
    assert "den Mitgliedern der Initiative vorbehalten" in body
    assert questionnaire.title not in body


@pytest.mark.parametrize("trait", ["draft", "template"])
def test_list_shows_drafts_and_templates_to_the_team_only(trait, team_user, editor):
    questionnaire = QuestionnaireFactory(**{trait: True}, title="Geheimer Entwurf")
    assert "Geheimer Entwurf" in client_for(team_user).get(reverse("surveys:list")).content.decode()
    assert (
        "Geheimer Entwurf" not in client_for(editor).get(reverse("surveys:list")).content.decode()
    )
    assert questionnaire.pk


def test_detail_page_offers_answering_and_results(questionnaire, town, editor):
    body = client_for(editor).get(questionnaire.get_absolute_url()).content.decode()
    assert "Antwortbogen Ihrer Organisation" in body
    assert reverse("surveys:results", args=[questionnaire.slug]) in body


def test_dashboard_lists_open_questionnaires_to_answer(questionnaire, town, editor):
    body = client_for(editor).get(reverse("accounts:dashboard")).content.decode()
    assert "Offene Fragebögen" in body
    assert answer_url(questionnaire, town) in body


def test_event_page_links_its_published_feedback_questionnaire(editor):
    from tests.events.factories import EventFactory

    event = EventFactory()
    QuestionnaireFactory(event=event, title="Feedback zum Treffen")
    QuestionnaireFactory(event=event, title="Noch im Entwurf", draft=True)
    body = client_for(editor).get(event.get_absolute_url()).content.decode()
    assert "Feedback zum Treffen" in body
    assert "Noch im Entwurf" not in body
