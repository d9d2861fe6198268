"""The person's own data (DSGVO): what is stored, the JSON download, consents and their
withdrawal, deleting the account."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from initiativek.core.services import audit_log, rate_limit_exceeded
from initiativek.core.views_utils import add_validation_error, parse_id
from initiativek.privacy import selectors as privacy_selectors
from initiativek.privacy import services as privacy_services
from initiativek.privacy.constants import SURVEY_PURPOSES, WITHDRAWABLE
from initiativek.privacy.selectors_export import personal_data_export

from .forms import AccountDeleteForm
from .services_deletion import account_delete_blockers

# Wrong passwords on the deletion form, per person and hour.
DELETE_ATTEMPTS_PER_HOUR = 10


@login_required
def data(request):
    """What the platform stores about the person, their consents, the download and the way
    to delete the account."""
    return render(
        request,
        "accounts/data.html",
        {
            "consents": privacy_selectors.consent_list_for_user(user=request.user),
            "withdrawable": set(WITHDRAWABLE),
            "survey_purposes": set(SURVEY_PURPOSES),
            "retention_days": settings.EVENT_PARTICIPANT_RETENTION_DAYS,
        },
    )


@never_cache
@login_required
def data_export(request):
    """Everything about the person as a JSON file."""
    content = json.dumps(
        personal_data_export(user=request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    audit_log(actor=request.user, action="accounts.user.data_exported", obj=request.user)
    filename = f"initiative-k-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    record_id = parse_id(str(pk))
    if record_id is None:
        raise Http404(_("Diese Einwilligung gibt es nicht."))
    try:
        record = privacy_services.consent_withdraw(user=request.user, record_id=record_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Ihre Einwilligung „%(purpose)s“ ist widerrufen.")
            % {"purpose": record.get_purpose_display()},
        )
    return redirect("accounts:data")


@never_cache
@login_required
def account_delete(request):
    """Explain what deleting means; with the password, delete the account and sign out."""
    from .services_deletion import account_delete as delete

    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST":
        if rate_limit_exceeded(
            key=f"account-delete:{user.pk}", limit=DELETE_ATTEMPTS_PER_HOUR, period_seconds=3600
        ):
            form.add_error(None, _("Zu viele Versuche. Bitte versuchen Sie es später erneut."))
        elif form.is_valid():
            try:
                delete(user=user)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                logout(request)
                messages.success(request, _("Ihr Konto wurde gelöscht. Auf Wiedersehen!"))
                return redirect("core:home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "blockers": account_delete_blockers(user=user)},
        status=400 if form.errors else 200,
    )
