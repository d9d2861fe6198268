import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from initiativek.organizations.models import (
    ContactPerson,
    Membership,
    MembershipApplication,
    Organization,
)

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organization.objects.count(),
        Organization.objects.filter(is_member=True).count(),
        ContactPerson.objects.count(),
        Membership.objects.count(),
        MembershipApplication.objects.count(),
        get_user_model().objects.count(),
    )


def test_seed_demo_is_idempotent_and_loads_the_announcement(capsys):
    call_command("seed_demo", force=True)
    first = _counts()
    call_command("seed_demo", force=True)
    assert _counts() == first
    members = set(Organization.objects.filter(is_member=True).values_list("name", flat=True))
    assert {
        "Ravensburg",
        "Villingen-Schwenningen",
        "Herrenberg",
        "Schwäbisch Gmünd",
        "Baden-Baden",
        "Konstanz",
        "Heidenheim an der Brenz",
        "Waiblingen",
        "elfnullelf",
        "NCP",
    } <= members
    assert Organization.objects.get(ags="08135019").get_kind_display() == "Große Kreisstadt"
    assert "team@example.org" in capsys.readouterr().out


def test_named_people_get_no_invented_contact_details():
    call_command("seed_demo", force=True)
    grabherr = ContactPerson.objects.get(name="Carola Grabherr")
    assert (grabherr.function, grabherr.organization.name) == (
        "Digitalisierungsbeauftragte",
        "Ravensburg",
    )
    assert not ContactPerson.objects.exclude(email="").exists()
    assert not ContactPerson.objects.exclude(phone="").exists()


def test_demo_accounts_use_example_org_and_one_per_role():
    call_command("seed_demo", force=True)
    emails = set(get_user_model().objects.values_list("email", flat=True))
    assert all(email.endswith("@example.org") for email in emails)
    assert get_user_model().objects.get(email="team@example.org").is_staff
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles == {
        "admin@example.org": "admin",
        "redaktion@example.org": "editor",
        "mitglied@example.org": "member",
    }


def test_seed_demo_refuses_to_run_in_production_settings():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()
