"""Forms of the cooperation exchange. They parse input; the rules live in the services."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from initiativek.core.forms import FieldsetsMixin
from initiativek.core.models import Topic
from initiativek.core.views_utils import parse_id
from initiativek.organizations.constants import OrganizationKind
from initiativek.organizations.models import Organization, Region
from initiativek.organizations.selectors import region_regierungsbezirke
from initiativek.projects.constants import Publication

from . import selectors
from .constants import ProposalStatus

DESCRIPTION_MAX = 20000  # bounded so rendering Markdown stays cheap
WANTED_KIND_CHOICES = [
    (value, label) for value, label in OrganizationKind.choices if value != OrganizationKind.PARTNER
]


class ProposalFilterForm(forms.Form):
    """The list's filters. Unknown values in the address are ignored, not errors."""

    q = forms.CharField(label=_("Suche in Titel und Kurzbeschreibung"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    thema = forms.ChoiceField(label=_("Thema"), required=False)
    bezirk = forms.ChoiceField(label=_("Regierungsbezirk der Initiatorin"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.hide_optional = True
        self.fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        self.fields["status"].choices = [("", _("alle")), *ProposalStatus.choices]
        topics = Topic.objects.values_list("slug", "name")
        self.fields["thema"].choices = [("", _("alle Themen")), *topics]
        bezirke = [(r.key, r.name) for r in region_regierungsbezirke()]
        self.fields["bezirk"].choices = [("", _("ganz Baden-Württemberg")), *bezirke]

    def values(self) -> dict[str, str]:
        """The valid filter values; an invalid one counts as not given."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: (cleaned.get(name) or "").strip()[:200] for name in self.fields}


class OrganizationChoiceForm(forms.Form):
    """ "For which organization?" – when a person speaks for several."""

    organisation = forms.ModelChoiceField(
        label=_("Für welche Organisation?"), queryset=None, to_field_name="slug"
    )
    partner = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organizations


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    """Projects by id; ids the database can't hold are refused like unknown ones."""

    def clean(self, value):
        for pk in value or []:
            if parse_id(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)

    def label_from_instance(self, obj) -> str:
        label = f"{obj.title} ({obj.owner.name})"
        if obj.publication != Publication.PUBLISHED:
            # Linked before and unpublished since: offered so editing doesn't drop it.
            return _("%(label)s – nicht mehr veröffentlicht") % {"label": label}
        return label


class ProposalForm(FieldsetsMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(
        label=_("Kurzbeschreibung"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ein, zwei Sätze für die Übersicht (höchstens 300 Zeichen)."),
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        max_length=DESCRIPTION_MAX,
        validators=[MaxLengthValidator(DESCRIPTION_MAX)],
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Was haben Sie vor, was bringen Sie mit, was suchen Sie? Markdown: **fett**, "
            "*kursiv*, Listen, Links."
        ),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wanted_kinds = forms.MultipleChoiceField(
        label=_("Gesuchte Partner nach Art"),
        choices=WANTED_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine Auswahl: alle Arten von Organisationen."),
    )
    wanted_regions = forms.TypedMultipleChoiceField(
        label=_("Gesuchte Partner aus"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "Regierungsbezirke oder Kreise; mehrere mit gedrückter Strg-Taste. Keine Auswahl: "
            "aus ganz Baden-Württemberg."
        ),
    )
    projects = ProjectChoiceField(
        label=_("Verknüpfte Projekte"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Veröffentlichte Projekte der beteiligten Organisationen. Bereits verknüpfte "
            "Projekte, die nicht mehr veröffentlicht sind, bleiben verknüpft, bis Sie den "
            "Haken entfernen."
        ),
    )

    fieldsets = [
        (_("Worum geht es?"), ["title", "summary", "description", "topics"]),
        (_("Gesuchte Partner"), ["wanted_kinds", "wanted_regions"]),
        (_("Projekte"), ["projects"]),
    ]

    def __init__(
        self,
        *args,
        project_organization_ids: set[int],
        linked_project_ids: Iterable[int] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["wanted_regions"].choices = selectors.region_choices_for_wanted()
        self.fields["projects"].queryset = selectors.project_list_linkable(
            organization_ids=project_organization_ids, linked_ids=linked_project_ids
        )
        if not self.fields["projects"].queryset.exists():
            del self.fields["projects"]

    @staticmethod
    def initial_for(proposal) -> dict[str, Any]:
        return {
            "title": proposal.title,
            "summary": proposal.summary,
            "description": proposal.description,
            "topics": list(proposal.topics.all()),
            "wanted_kinds": list(proposal.wanted_kinds),
            "wanted_regions": list(proposal.wanted_regions.values_list("pk", flat=True)),
            "projects": list(proposal.projects.all()),
        }

    @staticmethod
    def initial_for_partner(partner: Organization | None) -> dict[str, Any]:
        """Proposing for a recommended partner: a sentence in the description and the
        partner's kind and region pre-selected – the partner does not become a member."""
        if partner is None:
            return {}
        wanted = selectors.organization_wanted_defaults(organization=partner)
        return {
            "description": _("Vorgeschlagen für: %(name)s") % {"name": partner.name},
            "wanted_kinds": wanted["wanted_kinds"],
            "wanted_regions": [region.pk for region in wanted["wanted_regions"]],
        }

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned values as the proposal services take them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "description": data["description"],
            "topics": list(data["topics"]),
            "wanted_kinds": list(data["wanted_kinds"]),
            "wanted_regions": list(Region.objects.filter(pk__in=data["wanted_regions"])),
            "projects": list(data.get("projects") or []),
        }


class FromStatementForm(ProposalForm):
    member_organizations = forms.ModelMultipleChoiceField(
        label=_("Weitere beteiligte Organisationen"),
        queryset=None,
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Zur Wahl stehen die Mitgliedsorganisationen, die im Statement genannt werden "
            "(vorausgewählt), und die, die bei der Veranstaltung ebenfalls ein "
            "Abschluss-Statement abgegeben haben. Die Ausgewählten werden benachrichtigt und "
            "können wieder austreten; alle anderen fragen ihre Beteiligung selbst an."
        ),
    )

    fieldsets = [
        *ProposalForm.fieldsets[:2],
        (_("Beteiligte und Projekte"), ["member_organizations", "projects"]),
    ]

    def __init__(self, *args, statement, **kwargs):
        super().__init__(*args, project_organization_ids={statement.organization_id}, **kwargs)
        candidates = selectors.statement_member_candidates(statement=statement)
        self.fields["member_organizations"].queryset = candidates.order_by("name")
        if not candidates.exists():
            del self.fields["member_organizations"]

    @staticmethod
    def initial_for_statement(statement) -> dict[str, Any]:
        """Pre-filled from the statement; the organizations it names are pre-selected."""
        text = " ".join(statement.text.split())
        quoted = "\n".join(f"> {line}" for line in statement.text.strip().splitlines())
        intro = _("Aus dem Abschluss-Statement von %(organization)s bei „%(event)s“:") % {
            "organization": statement.organization.name,
            "event": statement.event.title,
        }
        return {
            "title": Truncator(text).chars(120),
            "summary": Truncator(text).chars(300),
            "description": f"{intro}\n\n{quoted}",
            "member_organizations": selectors.statement_named_organizations(statement=statement),
            "topics": list(statement.event.topics.all()),
        }

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        kwargs["member_organizations"] = list(self.cleaned_data.get("member_organizations") or [])
        return kwargs


def _organization_field(form: forms.Form, organizations: list[Organization], label) -> None:
    """A choice of organization, shown only when there is more than one."""
    field = forms.ModelChoiceField(
        label=label,
        queryset=Organization.objects.filter(pk__in=[org.pk for org in organizations]),
        to_field_name="slug",
    )
    if len(organizations) == 1:
        field.widget = forms.HiddenInput()
        field.initial = organizations[0].slug
    form.fields["organization"] = field
    form.order_fields(["organization"])


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Ihre Nachricht an die Initiatorin"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Was bringt Ihre Organisation mit, was erwartet sie?"),
    )

    def __init__(self, *args, organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        _organization_field(self, organizations, _("Für welche Organisation?"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("annehmen", _("Annehmen")), ("ablehnen", _("Ablehnen"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Begründung oder Hinweis"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Geht an die anfragende Organisation."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ProposalStatus.choices)


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("Ihr Beitrag"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: **fett**, *kursiv*, Listen, Links."),
    )

    def __init__(self, *args, organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        _organization_field(self, organizations, _("Sie schreiben für"))


class LeaveForm(forms.Form):
    def __init__(self, *args, organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        _organization_field(self, organizations, _("Welche Organisation tritt aus?"))
