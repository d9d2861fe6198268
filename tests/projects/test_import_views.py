"""The project import page: who may use it, upload → dry run → confirm → result."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from initiativek.projects import importing
from initiativek.projects.models import Project
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory
from tests.projects.test_import import HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD = csv_bytes([HEADER, ["Smart Parking", "Parkplätze digital.", "idee", "3", "05.2021", ""]])
URL = "/projekte/import/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor():
    return MembershipFactory(editor=True)


def upload(client, organization, content, name="projekte.csv"):
    return client.post(
        URL,
        {"organization": organization.pk, "file": SimpleUploadedFile(name, content)},
    )


def test_import_url_is_not_taken_for_a_project_slug():
    assert reverse("projects:import") == URL


def test_anonymous_people_are_sent_to_the_login():
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/anmelden/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("role", ["member", None])
def test_people_without_editing_rights_get_403(role, user):
    if role:
        MembershipFactory(user=user, role=role)
    assert client_for(user).get(URL).status_code == 403


def test_editors_of_non_member_organizations_get_403(user):
    MembershipFactory(user=user, editor=True, organization__is_member=False)
    assert client_for(user).get(URL).status_code == 403


def test_editor_sees_the_page_with_columns_and_template_links(editor):
    response = client_for(editor.user).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kurzbeschreibung*" in content
    assert "Entwürfe" in content
    assert reverse("projects:import-template-xlsx") in content


def test_team_chooses_among_organizations(team_user, editor):
    response = client_for(team_user).get(URL)
    assert f'value="{editor.organization.pk}"' in response.content.decode()


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_template_downloads_read_back(extension):
    response = Client().get(f"/projekte/import/vorlage.{extension}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert importing.table_read(response.content).headers[0] == "Titel*"


def test_upload_shows_the_dry_run_and_confirm_imports(editor):
    client = client_for(editor.user)
    response = upload(client, editor.organization, xlsx_bytes([HEADER, ["A", "B", "idee"]]))
    assert response.status_code == 200
    assert "wird als Entwurf angelegt" in response.content.decode()
    assert not Project.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("projects:import-confirm"), {"token": token})
    project = Project.objects.get()
    assert project.publication == "entwurf"
    assert project.get_absolute_url() in response.content.decode()
    # The stored file is gone: confirming twice does not import twice.
    response = client.post(reverse("projects:import-confirm"), {"token": token})
    assert response.status_code == 302
    assert Project.objects.count() == 1


def test_rows_with_problems_are_listed_and_cannot_be_confirmed(editor):
    content = csv_bytes([HEADER, ["A", "B", "idee"], ["", "B", "fertig"]])
    response = upload(client_for(editor.user), editor.organization, content)
    body = response.content.decode()
    assert "Spalte ‚Stand‘: ‚fertig‘ ist kein gültiger Stand" in body
    assert "Spalte ‚Titel‘:" in body
    assert not response.context["token"]
    assert reverse("projects:import-confirm") not in body


def test_forged_or_foreign_tokens_are_refused(editor):
    response = upload(client_for(editor.user), editor.organization, GOOD)
    token = response.context["token"]
    stranger = MembershipFactory(editor=True)
    confirm = reverse("projects:import-confirm")
    assert client_for(stranger.user).post(confirm, {"token": token}).status_code == 302
    assert client_for(editor.user).post(confirm, {"token": token + "x"}).status_code == 302
    assert not Project.objects.exists()


def test_upload_for_an_organization_one_may_not_edit_is_refused(editor):
    other = MembershipFactory(editor=True).organization
    response = upload(client_for(editor.user), other, GOOD)
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"x" * (importing.IMPORT_MAX_BYTES + 1), "gross.csv", "zu groß"),
        (b"%PDF-1.4\x00\x01\x02", "projekte.csv", "weder eine CSV-Datei"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "projekte.xlsx", "weder eine CSV-Datei"),
    ],
    ids=["huge", "binary", "wrong-type"],
)
def test_huge_binary_and_wrong_type_uploads_are_refused(editor, content, name, message):
    response = upload(client_for(editor.user), editor.organization, content, name=name)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
