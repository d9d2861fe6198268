"""Factories for the cooperation exchange.

``ProposalFactory()`` is an open proposal whose initiator is also its first member
(``CooperationMember`` with role initiator); ``ProposalFactory(members=[org, …])`` adds
further member organizations.
"""

import factory

from initiativek.cooperation.constants import JoinStatus, MemberRole, ProposalStatus
from initiativek.cooperation.models import (
    CooperationMember,
    CooperationPost,
    CooperationProposal,
    JoinRequest,
)
from tests.accounts.factories import UserFactory
from tests.organizations.factories import OrganizationFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationProposal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Gemeinsame eAkte {n}")
    slug = factory.Sequence(lambda n: f"gemeinsame-eakte-{n}")
    summary = "Wir suchen Kommunen, die gemeinsam eine eAkte einführen."
    description = "Gemeinsame Ausschreibung und Schulung."
    initiator = factory.SubFactory(OrganizationFactory)
    status = ProposalStatus.OPEN

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if not create:
            return
        CooperationMember.objects.create(
            proposal=self, organization=self.initiator, role=MemberRole.INITIATOR
        )
        for organization in extracted or []:
            CooperationMember.objects.create(
                proposal=self, organization=organization, role=MemberRole.MEMBER
            )


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    proposal = factory.SubFactory(ProposalFactory)
    organization = factory.SubFactory(OrganizationFactory)
    requested_by = factory.SubFactory(UserFactory)
    message = "Wir würden gern mitmachen."
    status = JoinStatus.PENDING


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationPost

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    organization = factory.LazyAttribute(lambda o: o.proposal.initiator)
    text = "Wann treffen wir uns?"
