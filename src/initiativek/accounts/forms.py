from django import forms
from django.utils.translation import gettext_lazy as _

from initiativek.core.constants import NotificationKind

from .models import User

PHONE_HELP = _("Optional. Wird nur angezeigt, wenn Sie es in einem Kontakt freigeben.")


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    name = forms.CharField(label=_("Vor- und Nachname"), max_length=150)
    function = forms.CharField(
        label=_("Funktion"),
        max_length=200,
        required=False,
        help_text=_("z. B. „Digitalisierungsbeauftragte“ oder „Leiter IT“"),
    )

    field_order = ["name", "function", "email", "password1", "password2"]

    def signup(self, request, user):
        user.name = self.cleaned_data["name"].strip()
        user.function = self.cleaned_data["function"].strip()
        user.save(update_fields=["name", "function"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "function", "phone"]
        labels = {"name": _("Vor- und Nachname")}
        help_texts = {"phone": PHONE_HELP}


class NotificationSettingsForm(forms.Form):
    """Per kind of notification: also by e-mail (checked) or only in the platform."""

    hide_optional = True

    email_kinds = forms.MultipleChoiceField(
        label=_("Auch per E-Mail benachrichtigen bei"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "In der Plattform erscheinen alle Benachrichtigungen immer. Ohne Haken kommt für "
            "diese Art keine E-Mail."
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung des neuen Schlüssels"),
        max_length=100,
        help_text=_("Wofür Sie den Schlüssel verwenden, z. B. „Abgleich Fachverfahren“."),
    )
