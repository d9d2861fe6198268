from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .constants import CONTACT_FIELDS, PARENT_CYCLE, OrganizationKind, OrganizationSource, Role
from .models import ContactPerson, MembershipApplication, Organization

NEW_ORGANIZATION_KINDS = [
    (value, label) for value, label in OrganizationKind.choices if value != OrganizationKind.PARTNER
]


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = MembershipApplication
        fields = ["applicant_function", "message"]
        labels = {"applicant_function": _("Ihre Funktion in der Organisation")}
        help_texts = {
            "applicant_function": _("z. B. „Digitalisierungsbeauftragte“ oder „Leiter IT“"),
            "message": _("Optional: Was möchten Sie in der Initiative erreichen?"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class NewOrganizationApplicationForm(forms.ModelForm):
    new_organization_kind = forms.ChoiceField(
        label=_("Art der Organisation"), choices=[("", "–"), *NEW_ORGANIZATION_KINDS]
    )

    class Meta:
        model = MembershipApplication
        fields = [
            "new_organization_name",
            "new_organization_kind",
            "new_organization_ags",
            "new_organization_website",
            "applicant_function",
            "message",
        ]
        labels = {
            "new_organization_name": _("Name der Organisation"),
            "new_organization_ags": _("Amtlicher Gemeindeschlüssel (falls vorhanden)"),
            "applicant_function": _("Ihre Funktion in der Organisation"),
        }
        help_texts = {
            "new_organization_ags": _(
                "8 Ziffern. Für Stadtwerke und andere Unternehmen leer lassen."
            ),
            "new_organization_website": _("z. B. https://www.stadtwerke-beispiel.de"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def clean_new_organization_name(self):
        name = self.cleaned_data["new_organization_name"].strip()
        if not name:
            raise forms.ValidationError(_("Bitte geben Sie den Namen der Organisation an."))
        return name


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("approve", _("annehmen")), ("reject", _("ablehnen"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Pflicht bei Ablehnung. Die Begründung wird der antragstellenden Person gesendet."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Bitte begründen Sie die Ablehnung."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["description", "website", "population", "latitude", "longitude", "parent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "latitude": _("Dezimalgrad, z. B. 47.781"),
            "longitude": _("Dezimalgrad, z. B. 9.612"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Organization.objects.filter(is_member=True).exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("name")
        self.fields["parent"].empty_label = _("– keine –")
        if self.instance.source == OrganizationSource.DIRECTORY:
            # Official figures come from the municipality directory; a re-import would
            # overwrite edits, so they are not offered here.
            for field in ("population", "latitude", "longitude"):
                del self.fields[field]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if selectors.organization_parent_creates_cycle(organization=self.instance, parent=parent):
            raise forms.ValidationError(PARENT_CYCLE)
        return parent


ContactFormSet = forms.inlineformset_factory(
    Organization,
    ContactPerson,
    fields=list(CONTACT_FIELDS),
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)
