from datetime import timedelta

import factory
from django.utils import timezone

from initiativek.organizations.constants import OrganizationKind, RegionLevel, Role
from initiativek.organizations.models import (
    ContactPerson,
    Invitation,
    Membership,
    MembershipApplication,
    Organization,
    Region,
)
from tests.accounts.factories import UserFactory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"08{n:06d}")
    level = RegionLevel.GEMEINDE
    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    official_name = factory.LazyAttribute(lambda o: o.name)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    slug = factory.Sequence(lambda n: f"musterstadt-{n}")
    kind = OrganizationKind.STADT
    is_member = True

    class Params:
        not_member = factory.Trait(is_member=False)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Faker("name", locale="de_DE")
    function = "CDO"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER

    class Params:
        admin = factory.Trait(role=Role.ADMIN)
        editor = factory.Trait(role=Role.EDITOR)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    applicant = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory, is_member=False)
    applicant_function = "IT-Leitung"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"eingeladen{n}@example.org")
    role = Role.EDITOR
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
        )
