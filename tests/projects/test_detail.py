import pytest
from django.urls import reverse

from initiativek.core.models import Topic
from initiativek.projects.search import search_document_for
from tests.organizations.factories import OrganizationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _with_document(project):
    project.search_document = search_document_for(project)
    project.save()
    return project


def test_project_page_shows_similar_and_who_else_plans(client):
    parking = Topic.objects.get(slug="mobilitaet-parken")
    schools = Topic.objects.get(slug="schulen")
    project = _with_document(
        ProjectFactory(
            title="Smart Parking",
            summary="Freie Parkplätze digital anzeigen.",
            done=True,
            topics=[parking],
        )
    )
    planned = _with_document(
        ProjectFactory(
            title="Parkplatzsensoren",
            summary="Sensoren melden freie Parkplätze.",
            status="geplant",
            topics=[parking],
        )
    )
    unrelated = _with_document(
        ProjectFactory(
            title="Tablets für Schulen", summary="Jede Klasse bekommt Tablets.", topics=[schools]
        )
    )
    body = client.get(project.get_absolute_url()).content.decode()
    assert "Wer plant das auch?" in body
    assert planned.title in body
    assert unrelated.title not in body


def test_project_page_has_schema_org_and_goal_links(client):
    project = ProjectFactory(title="Smart Parking", goals=[3])
    body = client.get(project.get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in body
    assert '"@type": "Project"' in body
    assert reverse("projects:goal", kwargs={"number": 3}) in body


def test_goal_page_counts_projects_by_status_and_organization(client):
    town = OrganizationFactory(name="Konstanz")
    ProjectFactory(owner=town, goals=[1], done=True)
    ProjectFactory(owner=town, goals=[1], status="geplant")
    ProjectFactory(goals=[2])
    ProjectFactory(goals=[1], draft=True)
    response = client.get(reverse("projects:goal", kwargs={"number": 1}))
    body = response.content.decode()
    assert "2 Projekte dienen diesem Ziel." in body
    assert "Konstanz" in body
    counts = {row["value"]: row["count"] for row in response.context["by_status"]}
    assert counts["umgesetzt"] == 1 and counts["geplant"] == 1


def test_unknown_goal_is_404(client):
    assert client.get("/initiative/ziele/9/").status_code == 404


def test_home_shows_goal_counts(client):
    ProjectFactory(goals=[5])
    body = client.get("/").content.decode()
    assert reverse("projects:goal", kwargs={"number": 5}) in body
    assert "1 Projekt" in body


def test_organization_profile_lists_done_and_planned_apart(client):
    town = OrganizationFactory()
    ProjectFactory(owner=town, title="Fertig", done=True)
    ProjectFactory(owner=town, title="Vorhaben", status="geplant")
    ProjectFactory(owner=town, title="Geheimer Entwurf", draft=True)
    body = client.get(town.get_absolute_url()).content.decode()
    assert "Umgesetzt" in body and "Fertig" in body
    assert "Geplant und Ideen" in body and "Vorhaben" in body
    assert "Geheimer Entwurf" not in body


def test_project_page_query_count_is_bounded(client, django_assert_max_num_queries):
    parking = Topic.objects.get(slug="mobilitaet-parken")
    project = ProjectFactory(topics=[parking], goals=[1, 3])
    for number in range(15):
        _with_document(ProjectFactory(title=f"Park {number}", topics=[parking]))
    with django_assert_max_num_queries(25):
        assert client.get(project.get_absolute_url()).status_code == 200


def test_goal_page_query_count_is_bounded(client, django_assert_max_num_queries):
    for number in range(20):
        ProjectFactory(goals=[2], owner=OrganizationFactory(name=f"Stadt {number}"))
    with django_assert_max_num_queries(8):
        client.get(reverse("projects:goal", kwargs={"number": 2}))
