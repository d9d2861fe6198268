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

    @property
    def privacy_notice(self) -> str:
        """Shown above the button (templates/account/signup.html); recorded with the account."""
        from initiativek.privacy.texts import ACCOUNT_PRIVACY_NOTICE

        return str(ACCOUNT_PRIVACY_NOTICE)

    def signup(self, request, user):
        from initiativek.privacy.constants import ConsentPurpose
        from initiativek.privacy.services import consent_give

        user.name = self.cleaned_data["name"].strip()
        user.function = self.cleaned_data["function"].strip()
        user.save(update_fields=["name", "function"])
        consent_give(purpose=ConsentPurpose.ACCOUNT_PRIVACY_NOTICE, user=user, email=user.email)


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


class AccountDeleteForm(forms.Form):
    """Deleting the account needs the current password, so that an unattended signed-in
    browser is not enough."""

    password = forms.CharField(
        label=_("Ihr Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Das Passwort stimmt nicht."), code="password_incorrect")
        return password
