import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import Http404

from initiativek.projects.attachments import attachment_inspect, attachment_response
from initiativek.projects.constants import ATTACHMENT_MAX_BYTES
from initiativek.projects.models import ProjectAttachment
from tests.projects.factories import ProjectFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + struct.pack(">I", 13)
    + b"IHDR"
    + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;"
WEBP = b"RIFF" + struct.pack("<I", 26) + b"WEBPVP8 " + b"\x00" * 18
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'

OOXML_MAIN = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def zip_bytes(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


def ooxml(extension: str, *extra: str) -> bytes:
    entries = {"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>"}
    entries[OOXML_MAIN[extension]] = "<document/>"
    entries.update(dict.fromkeys(extra, "x"))
    return zip_bytes(entries)


def opendocument(mimetype: str, *, mimetype_first: bool = True) -> bytes:
    entries = {"content.xml": "<office:document-content/>", "META-INF/manifest.xml": "<m/>"}
    if mimetype_first:
        entries = {"mimetype": mimetype, **entries}
    else:
        entries["mimetype"] = mimetype
    return zip_bytes(entries)


def upload(content: bytes, name: str = "datei.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def inspect_error(uploaded) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        attachment_inspect(uploaded)
    return caught.value


# --- Allowed types, recognised by content -------------------------------------------------------

ALLOWED = [
    pytest.param(PDF, "application/pdf", "pdf", id="pdf"),
    pytest.param(PNG, "image/png", "png", id="png"),
    pytest.param(JPEG, "image/jpeg", "jpg", id="jpeg"),
    pytest.param(GIF, "image/gif", "gif", id="gif"),
    pytest.param(WEBP, "image/webp", "webp", id="webp"),
    *(
        pytest.param(
            ooxml(ext), f"application/vnd.openxmlformats-officedocument.{kind}", ext, id=ext
        )
        for ext, kind in [
            ("docx", "wordprocessingml.document"),
            ("xlsx", "spreadsheetml.sheet"),
            ("pptx", "presentationml.presentation"),
        ]
    ),
    *(
        pytest.param(opendocument(mimetype), mimetype, ext, id=ext)
        for ext, mimetype in ODF_MIMETYPES.items()
    ),
]


@pytest.mark.parametrize(("content", "content_type", "extension"), ALLOWED)
def test_allowed_type_is_recognised_by_content(content, content_type, extension):
    # Name and browser type say something else on purpose: only the content counts.
    uploaded = upload(content, name="irgendwas.bin", content_type="text/html")

    info = attachment_inspect(uploaded)

    assert info.content_type == content_type
    assert info.extension == extension
    assert info.size == len(content)


def test_image_named_pdf_is_stored_as_image():
    info = attachment_inspect(upload(PNG, name="folien.pdf", content_type="application/pdf"))

    assert (info.content_type, info.extension) == ("image/png", "png")


def test_file_position_is_at_start_after_inspecting():
    uploaded = upload(ooxml("docx"))
    uploaded.read(10)

    attachment_inspect(uploaded)

    assert uploaded.tell() == 0
    assert uploaded.read() == ooxml("docx")


def test_file_position_is_at_start_after_rejecting():
    uploaded = upload(EXE)

    inspect_error(uploaded)

    assert uploaded.tell() == 0


def test_office_document_in_a_temporary_file_is_recognised():
    # Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE arrive as temporary files on disk.
    content = ooxml("xlsx")
    uploaded = TemporaryUploadedFile("tabelle.xlsx", "application/octet-stream", len(content), None)
    try:
        uploaded.write(content)
        uploaded.flush()

        info = attachment_inspect(uploaded)

        assert info.extension == "xlsx"
        assert uploaded.read() == content
    finally:
        uploaded.close()


# --- Rejected -----------------------------------------------------------------------------------

REJECTED = [
    pytest.param(EXE, id="exe-renamed-pdf"),
    pytest.param(zip_bytes({"readme.txt": "hallo"}), id="plain-zip"),
    pytest.param(zip_bytes({"[Content_Types].xml": "<Types/>"}), id="content-types-only"),
    pytest.param(ooxml("docx", "word/vbaProject.bin"), id="docm-with-macros"),
    pytest.param(ooxml("xlsx", "xl/vbaProject.bin"), id="xlsm-with-macros"),
    pytest.param(opendocument(ODF_MIMETYPES["odt"], mimetype_first=False), id="odt-mimetype-late"),
    pytest.param(opendocument("application/vnd.oasis.opendocument.graphics"), id="odg"),
    pytest.param(opendocument("text/html"), id="odf-with-html-mimetype"),
    pytest.param(b"PK\x03\x04" + b"\x00" * 40, id="broken-zip"),
    pytest.param(zip_bytes({}), id="empty-zip"),
    pytest.param(HTML, id="html"),
    pytest.param(SVG, id="svg"),
    pytest.param(b'<?xml version="1.0"?>\n' + SVG, id="svg-with-xml-declaration"),
    pytest.param(b"Nur Text, kein Dokument.", id="text"),
    pytest.param(b"  %PDF-1.7 not at the start", id="pdf-magic-not-at-start"),
    pytest.param(b"RIFF\x00\x00\x00\x00WAVEfmt ", id="wav"),
]


@pytest.mark.parametrize("content", REJECTED)
def test_disguised_or_unknown_type_is_rejected(content):
    error = inspect_error(upload(content, name="bericht.pdf", content_type="application/pdf"))

    assert error.code == "type_not_allowed"
    assert error.messages == [
        "Dieser Dateityp ist nicht erlaubt. Möglich sind PDF, Bilder (PNG, JPEG, GIF, WebP) "
        "und Office-Dokumente (Word, Excel, PowerPoint, OpenDocument)."
    ]


def test_empty_file_is_rejected():
    error = inspect_error(upload(b""))

    assert error.code == "empty"
    assert error.messages == ["Die Datei ist leer."]


def test_oversized_file_is_rejected_with_limit_and_size_in_german():
    uploaded = upload(PDF)
    uploaded.size = int(12.5 * 1024 * 1024)  # as Django reports it; no 12 MB in memory

    error = inspect_error(uploaded)

    assert error.code == "too_large"
    assert error.messages == ["Die Datei ist 12,5 MB groß; erlaubt sind höchstens 10 MB."]


def test_file_one_byte_over_the_limit_does_not_read_as_within_it():
    uploaded = upload(PDF)
    uploaded.size = ATTACHMENT_MAX_BYTES + 1

    error = inspect_error(uploaded)

    assert error.messages == ["Die Datei ist 10,1 MB groß; erlaubt sind höchstens 10 MB."]


def test_file_of_exactly_the_limit_is_accepted():
    uploaded = upload(PDF)
    uploaded.size = ATTACHMENT_MAX_BYTES

    assert attachment_inspect(uploaded).extension == "pdf"


# --- Serving ----------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_attachment(content: bytes, title: str, content_type: str) -> ProjectAttachment:
    return ProjectAttachment.objects.create(
        project=ProjectFactory(),
        title=title,
        file=ContentFile(content, name="upload"),
        original_name="upload",
        content_type=content_type,
        size=len(content),
    )


def body(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


@pytest.mark.django_db
def test_pdf_is_served_as_download_with_safe_name_and_protective_headers(media_root):
    attachment = stored_attachment(PDF, 'Folien "Smart Parking" / 2023', "application/pdf")

    response = attachment_response(attachment)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Folien Smart Parking 2023.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response["Cache-Control"]
    assert response["Content-Length"] == str(len(PDF))
    assert body(response) == PDF


@pytest.mark.django_db
def test_image_is_served_inline(media_root):
    attachment = stored_attachment(PNG, "Lageplan", "image/png")

    response = attachment_response(attachment)

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="Lageplan.png"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert body(response) == PNG


@pytest.mark.django_db
def test_download_name_keeps_umlauts_and_does_not_double_the_extension(media_root):
    content_type = ODF_MIMETYPES["odt"]
    attachment = stored_attachment(opendocument(content_type), "Übersicht Räume.odt", content_type)

    response = attachment_response(attachment)
    body(response)

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%C3%9Cbersicht%20R%C3%A4ume.odt"
    )


@pytest.mark.django_db
def test_title_without_usable_characters_gives_a_generic_name(media_root):
    attachment = stored_attachment(PDF, "../..", "application/pdf")

    response = attachment_response(attachment)
    body(response)

    assert response["Content-Disposition"] == 'attachment; filename="anhang.pdf"'


@pytest.mark.django_db
def test_unknown_stored_type_is_served_as_opaque_download(media_root):
    attachment = stored_attachment(HTML, "Alt", "text/html")

    response = attachment_response(attachment)
    body(response)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_missing_file_gives_not_found(media_root):
    attachment = stored_attachment(PDF, "Weg", "application/pdf")
    attachment.file.storage.delete(attachment.file.name)

    with pytest.raises(Http404):
        attachment_response(attachment)
