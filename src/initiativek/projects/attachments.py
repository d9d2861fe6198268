"""Project attachments: what may be uploaded, and how stored files are served.

The type is recognised by content (magic bytes, the structure of office zips), never by the
file name or the browser's content type: a Windows program renamed ``bericht.pdf`` is rejected,
a PNG named ``folien.pdf`` is accepted as PNG. The detected type decides the stored content type
and the extension of the download. HTML, SVG and everything else are rejected, because the
browser could run script in them.

Serving: images are shown ``inline`` (raster formats only, they cannot carry script), so they can
be opened in the browser and used in ``<img>``. PDFs and office documents are downloads
(``attachment``): the sandboxing Content-Security-Policy below stops Chromium's built-in PDF
viewer, and a download keeps the browser's PDF viewer (and its script engine) out of our origin.
Every response carries ``nosniff`` and ``Content-Security-Policy: default-src 'none'; sandbox``.
The caller checks permissions before calling :func:`attachment_response`.
"""

import logging
import math
import re
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .constants import ATTACHMENT_MAX_BYTES
from .models import ProjectAttachment

logger = logging.getLogger(__name__)

MEGABYTE = 1024 * 1024
HEADER_BYTES = 16
ODF_MIMETYPE_MAX_BYTES = 100
DOWNLOAD_NAME_MAX_CHARS = 100

# extension → content type, for every type we accept.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
EXTENSIONS = {content_type: extension for extension, content_type in CONTENT_TYPES.items()}
INLINE_EXTENSIONS = frozenset({"png", "jpg", "gif", "webp"})

# Leading bytes → extension. WebP is "RIFF", four bytes of length, then "WEBP".
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_ZIP_MAGIC = b"PK\x03\x04"
# Folder of the main part in an OOXML package → extension.
_OOXML_FOLDERS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_ODF_EXTENSIONS = {"odt", "ods", "odp"}


@dataclass(frozen=True)
class AttachmentInfo:
    """What :func:`attachment_inspect` found: store these, not what the browser said."""

    content_type: str
    extension: str
    size: int


def attachment_inspect(uploaded_file: File) -> AttachmentInfo:
    """Check an uploaded file and return its type, recognised by content.

    Raises ``ValidationError`` (German message, codes ``empty``, ``too_large``,
    ``type_not_allowed``) if the file is empty, larger than ``ATTACHMENT_MAX_BYTES`` or not of
    an allowed type. Reads only the first bytes and, for zips, the central directory; the file
    position is back at the start afterwards, so the file can be saved directly.
    """
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    if size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Die Datei ist %(size)s MB groß; erlaubt sind höchstens %(limit)s MB."),
            code="too_large",
            params={"size": _megabytes(size), "limit": _megabytes(ATTACHMENT_MAX_BYTES)},
        )
    uploaded_file.open("rb")
    try:
        extension = _detect(uploaded_file)
    finally:
        uploaded_file.seek(0)
    if extension is None:
        raise ValidationError(
            _(
                "Dieser Dateityp ist nicht erlaubt. Möglich sind PDF, Bilder (PNG, JPEG, GIF, "
                "WebP) und Office-Dokumente (Word, Excel, PowerPoint, OpenDocument)."
            ),
            code="type_not_allowed",
        )
    return AttachmentInfo(content_type=CONTENT_TYPES[extension], extension=extension, size=size)


def _megabytes(size: int) -> str:
    # Rounded up, so that a file just over the limit does not read "10 MB; höchstens 10 MB".
    value = math.ceil(size * 10 / MEGABYTE) / 10
    return number_format(value, decimal_pos=0 if value.is_integer() else 1)


def _detect(file: IO[bytes]) -> str | None:
    header = file.read(HEADER_BYTES)
    for magic, extension in _MAGIC:
        if header.startswith(magic):
            return extension
    if header[:4] == b"RIFF" and header[8:12] == b"WEBP":
        return "webp"
    if header.startswith(_ZIP_MAGIC):
        file.seek(0)
        return _detect_office(file)
    return None


def _detect_office(file: IO[bytes]) -> str | None:
    """docx/xlsx/pptx or odt/ods/odp for an office zip; ``None`` for any other zip."""
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if not entries:
                return None
            if entries[0].filename == "mimetype":
                return _detect_opendocument(archive, entries[0])
            return _detect_ooxml([entry.filename for entry in entries])
    # Broken or crafted zips; RuntimeError: encrypted, NotImplementedError: unknown compression.
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        return None


def _detect_opendocument(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> str | None:
    # Read a bounded amount even if the entry claims (or decompresses to) more.
    with archive.open(entry) as stream:
        mimetype = stream.read(ODF_MIMETYPE_MAX_BYTES).decode("ascii", errors="replace")
    extension = EXTENSIONS.get(mimetype.strip())
    return extension if extension in _ODF_EXTENSIONS else None


def _detect_ooxml(names: list[str]) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    # Macro-enabled documents (docm, xlsm, pptm) carry a vbaProject.bin; we do not pass on
    # macros, whatever the file is called.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None
    for folder, extension in _OOXML_FOLDERS:
        if any(name.startswith(folder) for name in names):
            return extension
    return None


def attachment_response(attachment: ProjectAttachment) -> FileResponse:
    """Serve a stored attachment; the caller has checked that the user may see it.

    Images inline, everything else as download, named after the attachment's title with the
    extension of the detected type. Raises ``Http404`` if the stored file is missing.
    """
    extension = EXTENSIONS.get(attachment.content_type)
    try:
        stream = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        logger.warning("Attachment %s has no readable file: %s", attachment.pk, error)
        raise Http404 from error
    response = FileResponse(
        stream,
        as_attachment=extension not in INLINE_EXTENSIONS,
        filename=_download_name(attachment.title, extension),
        content_type=attachment.content_type if extension else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Members-only projects' files must not land in shared caches.
    patch_cache_control(response, private=True)
    return response


def _download_name(title: str, extension: str | None) -> str:
    """Letters, digits, spaces, ``-``, ``_`` and inner dots of the title; no path, no quotes."""
    stem = title.strip()
    if extension and stem.lower().endswith(f".{extension}"):
        stem = stem[: -len(extension) - 1]
    stem = " ".join(re.sub(r"[^\w\-. ]+", " ", stem).split())
    stem = stem[:DOWNLOAD_NAME_MAX_CHARS].strip(" .") or "anhang"
    return f"{stem}.{extension}" if extension else stem


def checked_upload_save(instance, *, uploaded_file: File, title: str, actor) -> AttachmentInfo:
    """Fill and save a ``core.models.CheckedUpload`` (its owner already set): check the file by
    content, store it, validate; the stored file is removed again if saving fails."""
    info = attachment_inspect(uploaded_file)
    instance.title = (title.strip() or uploaded_file.name)[:200]
    instance.original_name = uploaded_file.name[:255]
    instance.content_type = info.content_type
    instance.size = info.size
    instance.uploaded_by = actor
    instance.file.save(uploaded_file.name, uploaded_file, save=False)
    name, storage = instance.file.name, instance.file.storage
    try:
        instance.full_clean()
        instance.save()
    except Exception:
        storage.delete(name)
        raise
    return info
