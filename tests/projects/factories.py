import factory

from initiativek.projects.constants import ProjectStatus, Publication
from initiativek.projects.models import Project, ProjectGoal
from tests.organizations.factories import OrganizationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projekt {n}")
    slug = factory.Sequence(lambda n: f"projekt-{n}")
    summary = "Kurzbeschreibung des Projekts."
    owner = factory.SubFactory(OrganizationFactory)
    status = ProjectStatus.PLANNED
    publication = Publication.PUBLISHED

    class Params:
        draft = factory.Trait(publication=Publication.DRAFT)
        archived = factory.Trait(publication=Publication.ARCHIVED)
        members_only = factory.Trait(visibility="members")
        done = factory.Trait(status=ProjectStatus.DONE)

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        if create and extracted:
            ProjectGoal.objects.bulk_create(ProjectGoal(project=self, goal=g) for g in extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Tag"
        django_get_or_create = ["kind", "name"]

    kind = "technologie"
    name = factory.Sequence(lambda n: f"Technologie {n}")


class SearchableProjectFactory(ProjectFactory):
    """A project whose ``search_document`` is built as the project service builds it.

    ``technologies`` and ``vendors`` take lists of names.
    """

    @factory.post_generation
    def technologies(self, create, extracted, **kwargs):
        if create and extracted:
            self.technologies.set([TagFactory(kind="technologie", name=n) for n in extracted])

    @factory.post_generation
    def vendors(self, create, extracted, **kwargs):
        if create and extracted:
            self.vendors.set([TagFactory(kind="anbieter", name=n) for n in extracted])

    @factory.post_generation
    def search_document(self, create, extracted, **kwargs):
        from initiativek.projects.search import search_document_for

        if create:
            self.search_document = search_document_for(self)
            self.save(update_fields=["search_document"])
