"""PATCH /api/v1/organizations/<slug>/: the web's profile editing through the API – the same
people, the same rules, the same service; nothing written on refusal."""

import json
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from initiativek.core.models import AuditEntry
from initiativek.organizations.constants import (
    OrganizationKind,
    OrganizationSource,
    Role,
    Visibility,
)
from initiativek.organizations.models import Organization
from initiativek.organizations.permissions import can_edit_organization
from tests.api.conftest import assert_problem, token_client
from tests.organizations.factories import (
    ContactPersonFactory,
    MembershipFactory,
    OrganizationFactory,
)

pytestmark = [pytest.mark.django_db]

CHANGED = "organizations.organization.changed"


def _url(organization: Organization) -> str:
    return f"/api/v1/organizations/{organization.slug}/"


def _patch(client, organization, data, **headers):
    return client.patch(
        _url(organization), json.dumps(data), content_type="application/json", **headers
    )


@pytest.fixture
def town():
    town = OrganizationFactory(
        name="Ravensburg",
        slug="ravensburg",
        description="Die alte Beschreibung.",
        website="https://alt.example.org/",
        population=50000,
    )
    ContactPersonFactory(organization=town, name="Anna Alt", email="anna@example.org", position=0)
    ContactPersonFactory(
        organization=town, name="Bernd Intern", visibility=Visibility.MEMBERS, position=1
    )
    return town


def _state(organization: Organization) -> tuple:
    """Everything a refused request must leave as it was."""
    organization = Organization.objects.get(pk=organization.pk)
    fields = ("description", "website", "population", "latitude", "longitude", "parent_id")
    contacts = list(
        organization.contacts.order_by("position", "pk").values_list(
            "pk", "name", "email", "visibility", "position"
        )
    )
    audit = AuditEntry.objects.filter(action=CHANGED).count()
    return (
        tuple(getattr(organization, field) for field in fields),
        organization.updated_at,
        contacts,
        audit,
    )


def _user_for(role: str, town: Organization, team_user):
    if role == "anonymous":
        return None
    if role == "team":
        return team_user
    if role == "admin_other":
        return MembershipFactory(organization=OrganizationFactory(), role=Role.ADMIN).user
    return MembershipFactory(organization=town, role=role).user


# --- who ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        (Role.MEMBER, 403),
        (Role.EDITOR, 200),
        (Role.ADMIN, 200),
        ("admin_other", 403),
        ("team", 200),
    ],
)
def test_only_people_who_may_edit_the_profile_change_it(town, team_user, role, status):
    user = _user_for(role, town, team_user)
    client = APIClient() if user is None else token_client(user)
    before = _state(town)

    response = _patch(client, town, {"description": "Neu beschrieben."})

    if status == 200:
        assert response.status_code == 200, response.content
        assert Organization.objects.get(pk=town.pk).description == "Neu beschrieben."
    else:
        assert_problem(response, status)
        assert _state(town) == before
    if user is not None:  # the API allows exactly what the web's permission function allows
        assert (response.status_code == 200) == can_edit_organization(user, town)


def test_an_unknown_organization_is_a_404_problem(town):
    editor = MembershipFactory(organization=town, role=Role.EDITOR).user
    response = token_client(editor).patch(
        "/api/v1/organizations/gibt-es-nicht/", {"description": "x"}, format="json"
    )
    assert_problem(response, 404)


def test_put_is_not_offered(town):
    editor = MembershipFactory(organization=town, role=Role.EDITOR).user
    response = token_client(editor).put(_url(town), {"description": "x"}, format="json")
    assert_problem(response, 405)


# --- what --------------------------------------------------------------------------------------


def test_profile_fields_are_saved_and_answered_with_the_new_etag(town):
    parent = OrganizationFactory(slug="landkreis-ravensburg", kind=OrganizationKind.LANDKREIS)
    client = token_client(MembershipFactory(organization=town, role=Role.ADMIN).user)

    response = _patch(
        client,
        town,
        {
            "description": "Stadt im Schussental.",
            "website": "https://www.ravensburg.de/",
            "population": 51000,
            "latitude": "47.781",
            "longitude": 9.612,
            "parent": "landkreis-ravensburg",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["description"] == "Stadt im Schussental."
    assert body["parent"] == "landkreis-ravensburg"
    assert body["population"] == 51000
    town.refresh_from_db()
    assert town.website == "https://www.ravensburg.de/"
    assert town.latitude == Decimal("47.781")
    assert town.longitude == Decimal("9.612")
    assert town.parent == parent
    assert town.population == 51000
    assert response["ETag"] == client.get(_url(town))["ETag"]


def test_parent_null_detaches_the_organization(town):
    town.parent = OrganizationFactory()
    town.save()
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)

    response = _patch(client, town, {"parent": None})

    assert response.status_code == 200, response.content
    assert response.json()["parent"] is None
    assert Organization.objects.get(pk=town.pk).parent is None


def test_contacts_are_replaced_as_a_whole_in_the_given_order(town):
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)

    response = _patch(
        client,
        town,
        {
            "contacts": [
                {
                    "name": "Clara Neu",
                    "function": "CDO",
                    "email": "clara@example.org",
                    "email_visibility": "public",
                    "phone": "0751 123",
                },
                {"name": "Dieter Verborgen", "visibility": "members"},
            ]
        },
    )

    assert response.status_code == 200, response.content
    stored = list(
        town.contacts.order_by("position").values(
            "name", "email", "email_visibility", "phone_visibility", "visibility", "position"
        )
    )
    assert stored == [
        {
            "name": "Clara Neu",
            "email": "clara@example.org",
            "email_visibility": Visibility.PUBLIC,
            "phone_visibility": Visibility.MEMBERS,  # the model's default, as in the form
            "visibility": Visibility.PUBLIC,
            "position": 0,
        },
        {
            "name": "Dieter Verborgen",
            "email": "",
            "email_visibility": Visibility.MEMBERS,
            "phone_visibility": Visibility.MEMBERS,
            "visibility": Visibility.MEMBERS,
            "position": 1,
        },
    ]
    # The editor reads back every person with the settings; the public only what it may see.
    assert [c["name"] for c in response.json()["contacts"]] == ["Clara Neu", "Dieter Verborgen"]
    assert response.json()["contacts"][1]["visibility"] == "members"
    public = APIClient().get(_url(town)).json()
    assert [c["name"] for c in public["contacts"]] == ["Clara Neu"]
    assert public["contacts"][0]["phone"] == ""
    assert "visibility" not in public["contacts"][0]
    assert public["hidden_contact_count"] == 1


def test_an_empty_contact_list_removes_every_contact_person(town):
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)

    response = _patch(client, town, {"contacts": []})

    assert response.status_code == 200, response.content
    assert not town.contacts.exists()
    assert response.json()["contacts"] == []


def test_the_editor_reads_the_contacts_as_the_edit_form_shows_them(town):
    """A partner's editor is no platform member, yet edits its own contacts: the read gives
    them every person with the settings, so a read-change-write keeps what it did not touch."""
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER, slug="partner")
    ContactPersonFactory(
        organization=partner,
        name="Interne Person",
        email="intern@example.org",
        visibility=Visibility.MEMBERS,
    )
    editor = MembershipFactory(organization=partner, role=Role.EDITOR).user
    client = token_client(editor)

    contacts = client.get(_url(partner)).json()["contacts"]
    assert contacts == [
        {
            "name": "Interne Person",
            "function": "CDO",
            "email": "intern@example.org",
            "phone": "",
            "hidden_details": False,
            "visibility": "members",
            "email_visibility": "members",
            "phone_visibility": "members",
        }
    ]
    written = [{k: v for k, v in c.items() if k != "hidden_details"} for c in contacts]
    response = _patch(client, partner, {"contacts": [*written, {"name": "Neu"}]})
    assert response.status_code == 200, response.content
    assert partner.contacts.get(name="Interne Person").visibility == Visibility.MEMBERS
    # Someone from another member organization sees the members-only person, without settings.
    other_member = MembershipFactory(organization=town).user
    seen = token_client(other_member).get(_url(partner)).json()["contacts"]
    assert {c["name"] for c in seen} == {"Interne Person", "Neu"}
    assert all("visibility" not in c for c in seen)


def test_an_empty_patch_changes_nothing(town):
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)
    before = _state(town)

    response = _patch(client, town, {})

    assert response.status_code == 200
    assert _state(town) == before


# --- the audit trail ---------------------------------------------------------------------------


def test_a_change_is_logged_like_on_the_web(town):
    editor = MembershipFactory(organization=town, role=Role.EDITOR).user

    response = _patch(
        token_client(editor),
        town,
        {"description": "Neu.", "website": town.website, "contacts": [{"name": "Eva"}]},
    )

    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(action=CHANGED)
    assert entry.actor == editor
    assert entry.object_id == str(town.pk)
    assert entry.data == {"fields": ["description", "contacts"]}


def test_an_unchanged_contact_list_is_not_logged_as_a_change(town):
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)
    contacts = [
        {k: v for k, v in c.items() if k != "hidden_details"}
        for c in client.get(_url(town)).json()["contacts"]
    ]
    ids = set(town.contacts.values_list("pk", flat=True))

    response = _patch(client, town, {"contacts": contacts})

    assert response.status_code == 200, response.content
    assert set(town.contacts.values_list("pk", flat=True)) == ids  # not rewritten
    assert not AuditEntry.objects.filter(action=CHANGED).exists()


# --- the web form's rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"population": 1},
        {"latitude": "48.1"},
        {"longitude": "9.1"},
        {"population": None},
        {"description": "Wird mit abgelehnt.", "population": 1},
    ],
)
def test_official_figures_of_directory_organizations_are_refused(town, data):
    town.source = OrganizationSource.DIRECTORY
    town.save()
    client = token_client(MembershipFactory(organization=town, role=Role.ADMIN).user)
    before = _state(town)

    body = assert_problem(_patch(client, town, data), 400)

    field = next(name for name in ("population", "latitude", "longitude") if name in data)
    [error] = body["errors"]
    assert error["pointer"] == f"#/{field}"
    assert "Gemeindeverzeichnis" in error["detail"]
    assert _state(town) == before


def test_directory_organizations_still_edit_their_description(town):
    town.source = OrganizationSource.DIRECTORY
    town.save()
    client = token_client(MembershipFactory(organization=town, role=Role.ADMIN).user)

    assert _patch(client, town, {"description": "Erlaubt."}).status_code == 200
    assert Organization.objects.get(pk=town.pk).description == "Erlaubt."


def test_a_parent_that_would_make_a_cycle_is_refused(town):
    utility = OrganizationFactory(slug="stadtwerke", kind=OrganizationKind.STADTWERKE, parent=town)
    grandchild = OrganizationFactory(slug="netze", parent=utility)
    client = token_client(MembershipFactory(organization=town, role=Role.ADMIN).user)

    for slug in ("ravensburg", "stadtwerke", "netze"):
        before = _state(town)
        body = assert_problem(_patch(client, town, {"parent": slug}), 400)
        assert body["errors"][0]["pointer"] == "#/parent"
        assert "zu sich selbst" in body["errors"][0]["detail"]
        assert _state(town) == before
    assert grandchild.parent == utility


def test_a_stored_cycle_further_up_does_not_hang_the_check(town):
    first = OrganizationFactory(slug="erste")
    second = OrganizationFactory(slug="zweite", parent=first)
    Organization.objects.filter(pk=first.pk).update(parent=second)  # as an import could
    client = token_client(MembershipFactory(organization=town, role=Role.ADMIN).user)

    response = _patch(client, town, {"parent": "erste"})

    assert response.status_code == 200, response.content


def test_a_parent_must_be_a_member_organization(town):
    OrganizationFactory(slug="kein-mitglied", not_member=True)
    client = token_client(MembershipFactory(organization=town, role=Role.ADMIN).user)

    for slug in ("kein-mitglied", "gibt-es-nicht"):
        body = assert_problem(_patch(client, town, {"parent": slug}), 400)
        assert body["errors"][0]["pointer"] == "#/parent"
        assert "Mitgliedsorganisation" in body["errors"][0]["detail"]
    assert Organization.objects.get(pk=town.pk).parent is None


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"beschreibung": "Tippfehler"}, "#/beschreibung"),
        ({"name": "Umbenannt"}, "#/name"),
        ({"description": None}, "#/description"),
        ({"description": "x" * 20001}, "#/description"),
        ({"description": ["eine", "Liste"]}, "#/description"),
        ({"website": "kein link"}, "#/website"),
        ({"website": "https://example.org/" + "x" * 200}, "#/website"),
        ({"population": "viele"}, "#/population"),
        ({"population": -1}, "#/population"),
        ({"population": 10**12}, "#/population"),
        ({"latitude": "Norden"}, "#/latitude"),
        ({"latitude": 91}, "#/latitude"),
        ({"longitude": "9.1234567"}, "#/longitude"),
        ({"parent": {"slug": "x"}}, "#/parent"),
        ({"parent": "x" * 100_000}, "#/parent"),
        ({"parent": 5}, "#/parent"),
        ({"contacts": None}, "#/contacts"),
        ({"contacts": {"name": "Eine"}}, "#/contacts"),
        ({"contacts": [{"name": f"P{n}"} for n in range(21)]}, "#/contacts"),
        ({"contacts": [{"function": "ohne Namen"}]}, "#/contacts/0/name"),
        ({"contacts": [{"name": ""}]}, "#/contacts/0/name"),
        ({"contacts": [{"name": "x" * 151}]}, "#/contacts/0/name"),
        ({"contacts": [{"name": "A", "email": "keine-adresse"}]}, "#/contacts/0/email"),
        ({"contacts": [{"name": "A", "phone": "1" * 41}]}, "#/contacts/0/phone"),
        ({"contacts": [{"name": "A\x00B"}]}, "#/contacts/0/name"),
        ({"contacts": [{"name": "A", "function": None}]}, "#/contacts/0/function"),
        ({"contacts": [{"name": "A", "visibility": "geheim"}]}, "#/contacts/0/visibility"),
        ({"contacts": [{"name": "A", "email_visibility": 1}]}, "#/contacts/0/email_visibility"),
        ({"contacts": [{"name": "A", "position": 3}]}, "#/contacts/0/position"),
        ({"contacts": [{"name": "A"}, "B"]}, "#/contacts/1"),
    ],
)
def test_bad_input_is_a_400_problem_and_writes_nothing(town, data, pointer):
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)
    before = _state(town)

    body = assert_problem(_patch(client, town, {"description": "Darf nicht bleiben.", **data}), 400)

    assert pointer in [error["pointer"] for error in body["errors"]]
    assert _state(town) == before


@pytest.mark.parametrize("body", ['[{"description": "x"}]', '"Text"', "null", '{"description": '])
def test_a_body_that_is_not_an_object_is_a_400_problem(town, body):
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)
    before = _state(town)

    response = client.patch(_url(town), body, content_type="application/json")

    assert_problem(response, 400)
    assert _state(town) == before


# --- conditional writes ------------------------------------------------------------------------


def test_a_write_based_on_a_stale_etag_is_refused_with_412_and_changes_nothing(town):
    editor = MembershipFactory(organization=town, role=Role.EDITOR).user
    first, second = token_client(editor), token_client(editor)
    etag = first.get(_url(town))["ETag"]
    assert _patch(second, town, {"website": "https://schneller.example.org/"}).status_code == 200
    before = _state(town)

    response = _patch(
        first, town, {"description": "Überschrieben?", "contacts": []}, HTTP_IF_MATCH=etag
    )

    body = assert_problem(response, 412)
    assert body["type"].endswith("precondition_failed")
    assert _state(town) == before


def test_a_write_with_the_current_etag_is_saved(town):
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)
    etag = client.get(_url(town))["ETag"]

    response = _patch(client, town, {"description": "Aktuell."}, HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert Organization.objects.get(pk=town.pk).description == "Aktuell."


def test_a_changed_contact_setting_makes_the_editors_etag_stale(town):
    """The editor's ETag covers the visibility settings they read, so another editor's change
    of a setting is not silently overwritten."""
    client = token_client(MembershipFactory(organization=town, role=Role.EDITOR).user)
    etag = client.get(_url(town))["ETag"]
    town.contacts.filter(name="Anna Alt").update(email_visibility=Visibility.PUBLIC)

    response = _patch(client, town, {"contacts": []}, HTTP_IF_MATCH=etag)

    assert_problem(response, 412)
    assert town.contacts.count() == 2
