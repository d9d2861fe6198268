import io

import pytest
from django.urls import reverse

from initiativek.core.models import Topic
from initiativek.projects.models import Project, ProjectVersion
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _form_data(**overrides):
    data = {
        "p-title": "Smart Parking",
        "p-summary": "Freie Parkplätze digital anzeigen.",
        "p-description": "Sensoren erfassen **Parkplätze**.",
        "p-status": "geplant",
        "p-start_month": "2021-05",
        "p-end_month": "2022-03",
        "p-goals": ["3", "5"],
        "p-ozg_fields": ["mobilitaet-reisen"],
        "p-technologies": "LoRaWAN, Open Data",
        "p-vendors": "",
        "p-budget_range": "",
        "p-funding": "",
        "p-effort": "",
        "p-lessons_learned": "",
        "p-reuse_conditions": "",
        "p-reuse_license": "",
        "p-reuse_repository": "",
        "p-visibility": "public",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "20",
        "links-0-title": "Pressemitteilung",
        "links-0-url": "https://www.example.org/presse",
    }
    data.update(overrides)
    return data


@pytest.fixture
def editor():
    return MembershipFactory(editor=True)


def test_editor_creates_a_draft_with_everything(editor):
    topic = Topic.objects.get(slug="mobilitaet-parken")
    response = client_for(editor.user).post(
        reverse("projects:create"), _form_data(**{"p-topics": [str(topic.pk)]})
    )
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert project.owner == editor.organization
    assert project.publication == "entwurf"
    assert project.start_month.isoformat() == "2021-05-01"
    assert sorted(project.goal_links.values_list("goal", flat=True)) == [3, 5]
    assert sorted(project.technologies.values_list("name", flat=True)) == ["LoRaWAN", "Open Data"]
    assert project.links.get().url == "https://www.example.org/presse"
    assert list(project.topics.all()) == [topic]
    assert "parkplatz" in project.search_document
    assert ProjectVersion.objects.get(project=project).action == "created"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"p-end_month": "2020-01"}, "Das Ende darf nicht vor dem Beginn liegen."),
        ({"p-title": "x" * 201}, "höchstens 200 Zeichen"),
        ({"p-title": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"p-start_month": "Mai"}, "JJJJ-MM"),
        ({"links-0-url": "javascript:alert(1)"}, "gültige Adresse"),
    ],
)
def test_bad_project_input_gives_a_clear_message_and_keeps_input(editor, overrides, message):
    response = client_for(editor.user).post(reverse("projects:create"), _form_data(**overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Freie Parkplätze digital anzeigen." in body
    assert not Project.objects.exists()


def test_html_in_text_fields_is_shown_as_text(editor, client):
    project = ProjectFactory(
        owner=editor.organization,
        title="<script>alert(1)</script>",
        summary='<img src=x onerror="alert(1)">',
        description="<script>alert(2)</script> [x](javascript:alert(3))",
    )
    body = client.get(project.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img" not in body  # the summary shows as text, JSON-LD escapes "<" as \u003C
    assert 'href="javascript:' not in body


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_only_editors_of_the_owner_can_edit(role, user):
    project = ProjectFactory(draft=True)
    if role == "member":
        user = MembershipFactory(organization=project.owner).user
    client = client_for(user)
    assert client.get(reverse("projects:edit", kwargs={"slug": project.slug})).status_code in {
        403,
        404,
    }
    response = client.post(
        reverse("projects:publication", kwargs={"slug": project.slug}),
        {"publication": "veroeffentlicht"},
    )
    assert response.status_code in {403, 404}
    project.refresh_from_db()
    assert project.publication == "entwurf"


def test_editor_of_another_organization_cannot_edit_a_published_project(editor):
    project = ProjectFactory()
    client = client_for(editor.user)
    assert client.get(reverse("projects:edit", kwargs={"slug": project.slug})).status_code == 403
    response = client.post(reverse("projects:edit", kwargs={"slug": project.slug}), _form_data())
    assert response.status_code == 403
    assert Project.objects.get().title != "Smart Parking"


def test_publish_archive_and_history(editor):
    project = ProjectFactory(owner=editor.organization, draft=True)
    client = client_for(editor.user)
    url = reverse("projects:publication", kwargs={"slug": project.slug})
    client.post(url, {"publication": "veroeffentlicht"})
    project.refresh_from_db()
    assert project.publication == "veroeffentlicht" and project.published_at
    client.post(url, {"publication": "archiviert"})
    project.refresh_from_db()
    assert project.publication == "archiviert"
    history = client.get(reverse("projects:history", kwargs={"slug": project.slug}))
    assert "veröffentlicht" in history.content.decode()
    assert "archiviert" in history.content.decode()


def test_drafts_are_visible_to_owner_and_partners_only(editor, client, user):
    partner = MembershipFactory()
    project = ProjectFactory(owner=editor.organization, draft=True)
    project.partners.add(partner.organization)
    url = project.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client_for(user).get(url).status_code == 404
    assert client_for(editor.user).get(url).status_code == 200
    assert client_for(partner.user).get(url).status_code == 200


def test_members_only_projects_need_a_member(client, user):
    project = ProjectFactory(members_only=True)
    member = MembershipFactory(organization=OrganizationFactory()).user
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client_for(user).get(project.get_absolute_url()).status_code == 404
    assert client_for(member).get(project.get_absolute_url()).status_code == 200


def test_editing_records_changed_fields(editor):
    project = ProjectFactory(owner=editor.organization, title="Alt")
    client_for(editor.user).post(
        reverse("projects:edit", kwargs={"slug": project.slug}), _form_data()
    )
    version = project.versions.first()
    assert version.action == "changed"
    assert "title" in version.changed_fields
    assert version.data["title"] == "Smart Parking"


def test_renaming_a_topic_is_found_after_rebuilding_search_documents(editor):
    from django.core.management import call_command

    from initiativek.projects.search import search_document_for

    topic = Topic.objects.get(slug="schulen")
    project = ProjectFactory(owner=editor.organization, topics=[topic])
    project.search_document = search_document_for(project)
    project.save()
    topic.name = "Bildungseinrichtungen"
    topic.save()
    call_command("rebuild_search_documents", stdout=io.StringIO(), stderr=io.StringIO())
    project.refresh_from_db()
    assert "bildungseinricht" in project.search_document


def test_saving_the_edit_form_unchanged_keeps_tags_and_goals(editor):
    client = client_for(editor.user)
    client.post(reverse("projects:create"), _form_data())
    project = Project.objects.get()
    edit_url = reverse("projects:edit", kwargs={"slug": project.slug})
    form = client.get(edit_url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = f"p-{name}"
        if isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif value is None or value is False:
            continue
        else:
            data[key] = field.widget.format_value(value) if name.endswith("_month") else value
    data.update(
        {
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "1",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "20",
            "links-0-id": str(project.links.get().pk),
            "links-0-title": "Pressemitteilung",
            "links-0-url": "https://www.example.org/presse",
        }
    )
    assert client.post(edit_url, data).status_code == 302
    project.refresh_from_db()
    assert sorted(project.technologies.values_list("name", flat=True)) == ["LoRaWAN", "Open Data"]
    assert sorted(project.goal_links.values_list("goal", flat=True)) == [3, 5]
    assert project.versions.first().changed_fields == []


def test_edit_over_a_newer_version_is_refused_and_input_kept(editor):
    project = ProjectFactory(owner=editor.organization, title="Alt")
    client = client_for(editor.user)
    stale = project.updated_at.isoformat()
    project.title = "Inzwischen geändert"
    project.save()
    response = client.post(
        reverse("projects:edit", kwargs={"slug": project.slug}),
        _form_data(**{"p-version": stale, "p-title": "Meine Fassung"}),
    )
    body = response.content.decode()
    assert "inzwischen von jemand anderem geändert" in body
    assert 'value="Meine Fassung"' in body
    project.refresh_from_db()
    assert project.title == "Inzwischen geändert"


@pytest.mark.parametrize("title", ["Neu", "!!!"])
def test_project_slugs_never_hide_pages(editor, title):
    client_for(editor.user).post(reverse("projects:create"), _form_data(**{"p-title": title}))
    project = Project.objects.get()
    assert project.slug not in {"neu", ""}
    assert client_for(editor.user).get(project.get_absolute_url()).status_code == 200


def test_members_only_contact_details_stay_hidden_on_project_pages(client, editor):
    from tests.organizations.factories import ContactPersonFactory

    hidden = ContactPersonFactory(organization=editor.organization, visibility="members")
    project = ProjectFactory(owner=editor.organization, contact=hidden)
    assert hidden.name not in client.get(project.get_absolute_url()).content.decode()
    member = MembershipFactory(organization=OrganizationFactory()).user
    assert hidden.name in client_for(member).get(project.get_absolute_url()).content.decode()


def test_contact_of_another_organization_is_refused_by_the_service(editor):
    from django.core.exceptions import ValidationError

    from initiativek.projects import services
    from tests.organizations.factories import ContactPersonFactory

    foreign = ContactPersonFactory()
    with pytest.raises(ValidationError):
        services.project_create(
            actor=editor.user,
            owner=editor.organization,
            data={"title": "X", "summary": "Y", "contact": foreign},
            relations={},
        )
