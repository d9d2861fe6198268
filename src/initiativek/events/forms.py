from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import AttendanceMode


class RegistrationForm(forms.Form):
    """Registration as member (name and e-mail from the account) or as guest."""

    name = forms.CharField(label=_("Vor- und Nachname"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    organization_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    mode = forms.ChoiceField(
        label=_("Wie nehmen Sie teil?"), choices=AttendanceMode.choices, widget=forms.RadioSelect
    )
    access_needs = forms.CharField(
        label=_("Brauchen Sie etwas, um gut teilnehmen zu können?"),
        help_text=_(
            "Optional, z. B. Untertitel, Gebärdensprache, stufenloser Zugang. Nur die "
            "Gastgeber sehen diese Angabe."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    listed = forms.BooleanField(
        label=_("Mein Name und meine Organisation dürfen in der Teilnehmendenliste erscheinen."),
        required=False,
    )
    privacy = forms.BooleanField(
        label=_(
            "Ich habe den Datenschutzhinweis gelesen und bin einverstanden, dass meine Angaben "
            "für diese Veranstaltung verarbeitet werden."
        ),
        error_messages={"required": _("Ohne Ihre Einwilligung können wir Sie nicht anmelden.")},
    )

    def __init__(self, *args, event, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        modes = event.modes
        self.fields["mode"].choices = [
            (value, label) for value, label in AttendanceMode.choices if value in modes
        ]
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0]
        if not event.ask_access_needs:
            del self.fields["access_needs"]
        if member is not None:
            # Members register with their account; name and e-mail come from it.
            del self.fields["name"]
            del self.fields["email"]
            del self.fields["organization_name"]


class ModeSwitchForm(forms.Form):
    mode = forms.ChoiceField(choices=AttendanceMode.choices)
