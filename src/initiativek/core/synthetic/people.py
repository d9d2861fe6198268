"""The people of member organizations: a public contact person on the profile and accounts
(admin, editors, members) that register for events and answer questionnaires.

Accounts get an unusable password (nobody can sign in with them until someone sets one) and an
address ``vorname.nachname.N@example.org``.
"""

from django.contrib.auth import get_user_model

from initiativek.organizations.constants import Role, Visibility
from initiativek.organizations.models import ContactPerson, Membership

from . import names
from .world import BATCH_SIZE, Person, Progress, World

# Django treats a password starting with "!" as unusable; this one also says where it is from.
UNUSABLE_PASSWORD = "!synthetische-testdaten"  # noqa: S105 – not a password, a marker
# (population from which, role) of the accounts of one organization, besides its admin.
EXTRA_ACCOUNTS = ((10_000, Role.EDITOR), (50_000, Role.MEMBER), (200_000, Role.EDITOR))
PUBLIC_CONTACT_SHARE = 0.7


def _roles(population: int | None) -> list[str]:
    roles = [Role.ADMIN]
    roles += [role for bound, role in EXTRA_ACCOUNTS if (population or 0) >= bound]
    return roles


def people_generate(world: World, progress: Progress) -> None:
    rng = world.rng("people")
    user_model = get_user_model()
    members = world.members()
    users, links, contacts = [], [], []
    for org in members:
        for role in _roles(org.population):
            name = names.person_name(rng)
            email = names.email_for(name, world.next_email_number())
            users.append(
                user_model(
                    email=email,
                    name=name,
                    function=rng.choice(names.FUNCTIONS),
                    password=UNUSABLE_PASSWORD,
                )
            )
            links.append((org.pk, role))
        name = names.person_name(rng)
        public = rng.random() < PUBLIC_CONTACT_SHARE
        contacts.append(
            ContactPerson(
                organization_id=org.pk,
                name=name,
                function=rng.choice(names.FUNCTIONS),
                visibility=Visibility.PUBLIC if public else Visibility.MEMBERS,
                email=names.email_for(name, world.next_email_number()),
                email_visibility=Visibility.MEMBERS,
            )
        )
    progress.start(user_model._meta.verbose_name_plural, len(users))
    for start in range(0, len(users), BATCH_SIZE):
        batch = users[start : start + BATCH_SIZE]
        user_model.objects.bulk_create(batch)
        progress.advance(len(batch))
    Membership.objects.bulk_create(
        [
            Membership(organization_id=org_pk, user_id=user.pk, role=role)
            for user, (org_pk, role) in zip(users, links, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    ContactPerson.objects.bulk_create(contacts, batch_size=BATCH_SIZE)
    for user, (org_pk, _role) in zip(users, links, strict=True):
        world.users.setdefault(org_pk, []).append(Person(user.pk, user.name, user.email))
    world.contacts = {contact.organization_id: contact.pk for contact in contacts}
    world.counts["users"] += len(users)
    world.counts["memberships"] += len(users)
    world.counts["contacts"] += len(contacts)
    progress.finish()
