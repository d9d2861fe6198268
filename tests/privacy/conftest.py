"""A person with data in every category the export and the deletion cover."""

from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from initiativek.accounts.services import api_token_create, user_profile_update
from initiativek.core.models import AccessibilityFeedback, Notification, NotificationPreference
from initiativek.core.services import mail_queue
from initiativek.events.models import CalendarFeed
from initiativek.organizations.services import invitation_create, membership_change_role
from initiativek.privacy.constants import ConsentPurpose
from initiativek.privacy.services import consent_give
from initiativek.projects.models import InterestMessage, ProjectInterest, ProjectVersion
from initiativek.surveys import services as survey_services
from tests.accounts.factories import UserFactory
from tests.cooperation.factories import JoinRequestFactory, PostFactory, ProposalFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.organizations.factories import (
    ApplicationFactory,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
)
from tests.projects.factories import ProjectFactory
from tests.surveys.factories import QuestionnaireFactory


@dataclass
class Person:
    user: Any
    organization: Any
    registration: Any
    guest_registration: Any


def make_person(tag: str) -> Person:
    """A person whose every piece of data carries ``tag`` where it holds text, so a test can
    tell whose data a file contains."""
    user = UserFactory(name=f"Person {tag}", email=f"{tag}@example.org", phone=f"0751-{tag}")
    organization = OrganizationFactory(name=f"Stadt {tag}")
    colleague = MembershipFactory(organization=organization, admin=True)
    membership = MembershipFactory(organization=organization, user=user, editor=True)
    user_profile_update(
        user=user, actor=user, name=user.name, function=f"Funktion {tag}", phone=user.phone
    )
    membership_change_role(membership=membership, actor=colleague.user, role="admin")
    ApplicationFactory(applicant=user, message=f"Antrag {tag}")
    InvitationFactory(email=user.email, organization=OrganizationFactory(name=f"Einlader {tag}"))
    registration = RegistrationFactory(
        event=EventFactory(title=f"Veranstaltung {tag}"),
        user=user,
        email=user.email,
        name=user.name,
        listed=True,
        access_needs=f"Bedarf {tag}",
    )
    guest = RegistrationFactory(
        event=EventFactory(title=f"Gastveranstaltung {tag}"), email=user.email.upper(), name=tag
    )
    Notification.objects.create(user=user, text=f"Hinweis {tag}")
    NotificationPreference.objects.create(user=user, kind="allgemein", email=False)
    CalendarFeed.objects.create(user=user)
    api_token_create(user=user, name=f"Schlüssel {tag}")
    Authenticator.objects.create(user=user, type="totp", data={"secret": f"geheim-{tag}"})
    consent_give(purpose=ConsentPurpose.ACCOUNT_PRIVACY_NOTICE, user=user)
    invitation_create(
        organization=organization, actor=user, email=f"kollegin@{tag}.example.org", role="member"
    )
    questionnaire = QuestionnaireFactory(title=f"Umfrage {tag}")
    survey_services.response_save(
        questionnaire=questionnaire,
        organization=organization,
        user=user,
        values={},
        consent_contact=True,
    )
    proposal = ProposalFactory(title=f"Kooperation {tag}", created_by=user)
    PostFactory(proposal=proposal, author=user, organization=organization, text=f"Beitrag {tag}")
    JoinRequestFactory(requested_by=user, message=f"Anfrage {tag}")
    project = ProjectFactory(title=f"Projekt {tag}")
    interest = ProjectInterest.objects.create(
        project=project, organization=organization, user=user, kind="nachnutzen"
    )
    InterestMessage.objects.create(
        interest=interest, author=user, organization=organization, text=f"Nachricht {tag}"
    )
    ProjectVersion.objects.create(project=project, actor=user, action="changed")
    AccessibilityFeedback.objects.create(email=user.email, message=f"Barriere {tag}")
    mail_queue(to=[user.email], subject=f"Betreff {tag}", body_text="Hallo")
    return Person(user, organization, registration, guest)


@pytest.fixture
def person(db):
    return make_person("alpha7")


@pytest.fixture
def other(db):
    return make_person("beta9")
