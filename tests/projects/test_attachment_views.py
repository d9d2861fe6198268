import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from initiativek.projects.models import ProjectAttachment
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory
from tests.projects.factories import ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor(db):
    return MembershipFactory(editor=True)


def _upload(client, project, name, content, title="Folien"):
    return client.post(
        reverse("projects:attachments", kwargs={"slug": project.slug}),
        {"a-title": title, "a-file": SimpleUploadedFile(name, content)},
    )


def test_editor_uploads_pdf_and_visitors_download_it(editor, client):
    project = ProjectFactory(owner=editor.organization)
    response = _upload(client_for(editor.user), project, "vortrag.pdf", PDF)
    assert response.status_code == 302
    attachment = ProjectAttachment.objects.get()
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"


def test_disguised_executable_is_refused_with_a_message(editor):
    project = ProjectFactory(owner=editor.organization)
    response = _upload(client_for(editor.user), project, "rechnung.pdf", b"MZ\x90\x00" + b"\0" * 60)
    assert response.status_code == 200
    assert "Dieser Dateityp ist nicht erlaubt" in response.content.decode()
    assert not ProjectAttachment.objects.exists()


def test_attachments_of_drafts_are_not_served_to_others(editor, client, user):
    project = ProjectFactory(owner=editor.organization, draft=True)
    _upload(client_for(editor.user), project, "vortrag.pdf", PDF)
    url = ProjectAttachment.objects.get().get_absolute_url()
    assert client.get(url).status_code == 404
    assert client_for(user).get(url).status_code == 404
    assert client_for(editor.user).get(url).status_code == 200


def test_only_editors_upload_or_delete(editor, user):
    project = ProjectFactory(owner=editor.organization)
    assert _upload(client_for(user), project, "a.pdf", PDF).status_code == 403
    _upload(client_for(editor.user), project, "a.pdf", PDF)
    attachment = ProjectAttachment.objects.get()
    url = reverse("projects:attachments", kwargs={"slug": project.slug})
    assert client_for(user).post(url, {"delete": attachment.pk}).status_code == 403
    client_for(editor.user).post(url, {"delete": attachment.pk})
    assert not ProjectAttachment.objects.exists()
