"""Uploaded import files kept between the dry run and the confirmation.

The file stays on the server (in the default storage, which is not served publicly) under a
random name; the browser only holds a signed token naming the file, the person and the
organization, valid for an hour. The confirmation reads and checks the file again, so nothing
parsed on the client is ever trusted.
"""

import secrets
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from .reading import IMPORT_MAX_BYTES

UPLOAD_FOLDER = "project-imports"
TOKEN_MAX_AGE = timedelta(hours=1)
_SALT = "initiativek.projects.import"


def upload_store(*, content: bytes, user_id: int, organization_id: int) -> str:
    """Keep ``content`` and return the token for :func:`upload_load`; older leftovers go."""
    _purge_old()
    name = default_storage.save(f"{UPLOAD_FOLDER}/{secrets.token_hex(16)}", ContentFile(content))
    return signing.dumps({"n": name, "u": user_id, "o": organization_id}, salt=_SALT)


def upload_load(*, token: str, user_id: int) -> tuple[bytes, int, str]:
    """(content, organization id, stored name) for a token of ``user_id``. Raises
    ``ValidationError`` if the token is forged, expired, someone else's or its file gone."""
    expired = ValidationError(
        _("Die hochgeladene Datei ist nicht mehr vorhanden. Bitte laden Sie sie erneut hoch."),
        code="expired",
    )
    try:
        data = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise expired from exc
    name = data.get("n", "")
    if data.get("u") != user_id or not name.startswith(f"{UPLOAD_FOLDER}/"):
        raise expired
    try:
        with default_storage.open(name, "rb") as stored:
            content = stored.read(IMPORT_MAX_BYTES + 1)
    except (FileNotFoundError, OSError) as exc:
        raise expired from exc
    return content, data.get("o"), name


def upload_claim(name: str) -> None:
    """Claim a stored upload for its one real import: a second confirmation of the same file
    (double click, two tabs) is refused instead of importing the projects twice. The claim
    lives in the shared cache, so it holds across processes with Redis."""
    seconds = int(TOKEN_MAX_AGE.total_seconds())
    if not cache.add(f"project-import-claim:{name}", 1, timeout=seconds):
        raise ValidationError(
            _("Diese Datei wird bereits importiert oder wurde schon importiert."), code="claimed"
        )


def upload_discard(name: str) -> None:
    default_storage.delete(name)


def _purge_old() -> None:
    try:
        _folders, files = default_storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, OSError):
        return
    limit = timezone.now() - 2 * TOKEN_MAX_AGE
    for file_name in files:
        name = f"{UPLOAD_FOLDER}/{file_name}"
        try:
            if default_storage.get_modified_time(name) < limit:
                default_storage.delete(name)
        except (FileNotFoundError, OSError):
            continue
