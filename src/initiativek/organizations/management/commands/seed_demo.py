from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from initiativek.cooperation.seeding import seed_demo_cooperation
from initiativek.events.seeding import seed_demo_events
from initiativek.organizations import demo
from initiativek.organizations.constants import ApplicationStatus, OrganizationKind
from initiativek.organizations.models import (
    ContactPerson,
    Membership,
    MembershipApplication,
    Organization,
)
from initiativek.projects.seeding import seed_demo_projects
from initiativek.surveys.seeding import seed_demo_surveys


class Command(BaseCommand):
    help = "Lädt die Demodaten der Initiative K (idempotent: mehrfaches Ausführen ändert nichts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch ohne DEBUG ausführen (legt Konten mit bekannten Passwörtern an!).",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["force"]):
            raise CommandError(
                "seed_demo legt Demo-Konten mit bekannten Passwörtern an und läuft deshalb nur "
                "mit DEBUG=1 (Entwicklung). Zum Erzwingen: --force."
            )
        self.stdout.write("Gemeindeverzeichnis (Auszug) …")
        call_command("import_municipalities", str(demo.SAMPLE_DIRECTORY), stdout=self.stdout)
        with transaction.atomic():
            members = self._members()
            self._partners_and_companies()
            self._contacts(members)
            users = self._accounts(members[demo.DEMO_ORGANIZATION_AGS])
            self._pending_application(users["antrag@example.org"])
            projects = seed_demo_projects()
            events = seed_demo_events()
            responses = seed_demo_surveys()
            cooperations = seed_demo_cooperation()
        self.stdout.write(f"Projekte: {projects} neu, Veranstaltungen: {events} neu")
        self.stdout.write(f"Antwortbögen Erfahrungsaustausch: {responses} neu")
        self.stdout.write(f"Kooperationsvorschläge: {cooperations} neu")
        self._print_logins()

    def _members(self) -> dict[str, Organization]:
        members = {}
        for ags in demo.MEMBER_MUNICIPALITIES:
            organization = Organization.objects.exclude(kind=OrganizationKind.LANDKREIS).get(
                ags=ags
            )
            if not organization.is_member:
                organization.is_member = True
                organization.member_since = timezone.localdate()
                organization.save(update_fields=["is_member", "member_since", "updated_at"])
            if organization.latitude is None and ags in demo.TOWN_COORDINATES:
                latitude, longitude = demo.TOWN_COORDINATES[ags]
                organization.latitude = Decimal(latitude)
                organization.longitude = Decimal(longitude)
                organization.save(update_fields=["latitude", "longitude", "updated_at"])
            members[ags] = organization
        return members

    def _partners_and_companies(self) -> None:
        for partner in demo.PARTNERS:
            Organization.objects.update_or_create(
                slug=partner["slug"],
                defaults={
                    "name": partner["name"],
                    "kind": OrganizationKind.PARTNER,
                    "partner_role": partner["partner_role"],
                    "description": partner["description"],
                    "is_member": True,
                },
            )
        for company in demo.COMPANIES:
            parent = Organization.objects.get(ags=company["parent_ags"], kind="grosse_kreisstadt")
            Organization.objects.update_or_create(
                slug=company["slug"],
                defaults={
                    "name": company["name"],
                    "kind": company["kind"],
                    "parent": parent,
                    "region": parent.region,
                },
            )

    def _contacts(self, members: dict[str, Organization]) -> None:
        for position, (ags, name, function) in enumerate(demo.CONTACTS):
            ContactPerson.objects.update_or_create(
                organization=members[ags],
                name=name,
                defaults={"function": function, "visibility": "public", "position": position},
            )

    def _accounts(self, organization: Organization) -> dict:
        users = {}
        user_model = get_user_model()
        for email, name, function, role, staff in demo.ACCOUNTS:
            user, created = user_model.objects.get_or_create(
                email=email, defaults={"name": name, "function": function, "is_staff": staff}
            )
            if created:
                user.set_password(demo.DEMO_PASSWORD)
                user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if role:
                Membership.objects.get_or_create(
                    organization=organization, user=user, defaults={"role": role}
                )
            users[email] = user
        return users

    def _pending_application(self, applicant) -> None:
        organization = Organization.objects.filter(ags=demo.PENDING_APPLICATION_AGS).first()
        if organization is None or applicant.membership_applications.exists():
            return
        MembershipApplication.objects.create(
            applicant=applicant,
            organization=organization,
            applicant_function=applicant.function,
            message="Wir möchten unsere Erfahrungen mit dem Homeoffice teilen.",
            status=ApplicationStatus.PENDING,
        )

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("\nDemodaten geladen. Anmeldung unter /konto/login/:"))
        labels = {
            "admin": "Administration Ravensburg",
            "editor": "Redaktion Ravensburg",
            "member": "Mitglied Ravensburg",
        }
        for email, _name, _function, role, staff in demo.ACCOUNTS:
            what = (
                "Team der Initiative"
                if staff
                else labels.get(role, "ohne Organisation, Antrag offen")
            )
            self.stdout.write(f"  {email:<24} Passwort: {demo.DEMO_PASSWORD:<24} {what}")
