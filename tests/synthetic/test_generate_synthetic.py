"""``manage.py generate_synthetic``: reproducible, valid, realistic, removable test data."""

import random
import statistics
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from initiativek.core.models import Topic
from initiativek.core.synthetic import REGION_MARK, SLUG_PREFIX, geography, names
from initiativek.events.constants import SEAT_HOLDING, EventStatus
from initiativek.events.models import Event, ProgramItem, Registration, Speaker
from initiativek.organizations.constants import MUNICIPAL_KINDS
from initiativek.organizations.demo import SAMPLE_DIRECTORY
from initiativek.organizations.models import ContactPerson, Membership, Organization, Region
from initiativek.projects.constants import Publication
from initiativek.projects.models import Project, Tag
from initiativek.projects.search import project_search, search_document_for
from initiativek.surveys.constants import ResponseStatus
from initiativek.surveys.models import Answer, Questionnaire, Response
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory, RegionFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

SMALL = {"orgs": 60, "projects": 300, "events": 12, "registrations": 400, "responses": 30}
HOMEOFFICE = "homeoffice-corona"


def generate(seed: int = 1, *extra: str, **sizes) -> str:
    """Run the command with the small sizes (overridable); returns what it printed."""
    arguments = [f"--{name}={value}" for name, value in {**SMALL, **sizes}.items()]
    out = StringIO()
    call_command("generate_synthetic", *arguments, f"--seed={seed}", *extra, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    """The generated data without primary keys (they differ between runs)."""
    return {
        "regions": list(
            Region.objects.order_by("key").values_list("key", "name", "latitude", "population")
        ),
        "organizations": list(
            Organization.objects.order_by("slug").values_list(
                "slug", "name", "kind", "ags", "population", "latitude", "longitude", "is_member"
            )
        ),
        "projects": list(
            Project.objects.order_by("slug").values_list(
                "slug", "title", "summary", "owner__slug", "status", "publication", "start_month"
            )
        ),
        "events": list(
            Event.objects.order_by("slug").values_list(
                "slug", "title", "starts_at", "format", "capacity_onsite", "capacity_online"
            )
        ),
        "registrations": list(
            Registration.objects.order_by("event__slug", "email").values_list(
                "event__slug", "name", "email", "mode", "status"
            )
        ),
        "answers": list(
            Answer.objects.order_by("response__organization__slug", "question__key").values_list(
                "response__organization__slug", "question__key", "number_value", "text_value"
            )
        ),
    }


def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    generate(seed=7)
    first = snapshot()
    generate(7, "--clear")
    assert snapshot() == first
    generate(8, "--clear")
    second = snapshot()
    assert second["organizations"] != first["organizations"]
    assert second["projects"] != first["projects"]


def test_creates_the_requested_numbers():
    generate()
    synthetic = Organization.objects.filter(slug__startswith=SLUG_PREFIX)
    assert synthetic.count() == 60
    assert Project.objects.filter(slug__startswith=SLUG_PREFIX).count() == 300
    assert Event.objects.filter(slug__startswith=SLUG_PREFIX).count() == 12
    assert Registration.objects.count() == 400
    questionnaire = Questionnaire.objects.get(slug=HOMEOFFICE)
    submitted = questionnaire.responses.filter(status=ResponseStatus.SUBMITTED)
    assert submitted.count() == 30
    assert questionnaire.phase() == "open"


def test_every_kind_of_generated_object_passes_full_clean():
    generate()
    models = [
        Region,
        Organization,
        ContactPerson,
        Membership,
        get_user_model(),
        Project,
        Event,
        ProgramItem,
        Speaker,
        Registration,
        Response,
        Answer,
    ]
    for model in models:
        sample = list(model.objects.order_by("?")[:25])
        assert sample, model
        for obj in sample:
            obj.full_clean()


def test_places_lie_in_germany_and_populations_look_like_real_municipalities():
    generate()
    for model in (Organization, Region):
        located = model.objects.filter(latitude__isnull=False)
        assert located.exists()
        assert not located.filter(
            Q(latitude__lt=Decimal("47.3"))
            | Q(latitude__gt=Decimal("55.0"))
            | Q(longitude__lt=Decimal("5.9"))
            | Q(longitude__gt=Decimal("15.0"))
        ).exists()
    towns = Organization.objects.filter(kind__in=[str(kind) for kind in MUNICIPAL_KINDS])
    populations = list(towns.values_list("population", flat=True))
    assert 600 <= statistics.median(populations) <= 6_000
    assert max(populations) >= 1_000_000


def test_population_distribution_has_median_about_2000_and_a_few_big_cities():
    populations = geography.populations(random.Random(3), 10_000)
    assert 1_700 <= statistics.median(populations) <= 2_300
    assert max(populations) == geography.LARGEST_CITY
    assert 50 <= sum(value >= 100_000 for value in populations) <= 150


def test_regions_form_a_hierarchy_with_official_keys():
    generate()
    kreise = Region.objects.filter(level="kreis")
    assert kreise.exists()
    for kreis in kreise:
        assert len(kreis.key) == 5 and kreis.key.isdigit()
        assert kreis.parent.level == "regierungsbezirk"
        assert kreis.key.startswith(kreis.parent.key)
        assert kreis.official_name.endswith(REGION_MARK)
    for town in Organization.objects.filter(kind__in=[str(kind) for kind in MUNICIPAL_KINDS]):
        assert town.region.key == town.ags
        assert town.ags.startswith(town.region.parent.key)


def test_no_event_is_overbooked_and_drafts_take_no_registrations():
    generate(registrations=1500, events=8)
    for event in Event.objects.all():
        if event.status == EventStatus.DRAFT:
            assert not event.registrations.exists()
        taken = dict(
            event.registrations.filter(status__in=SEAT_HOLDING)
            .values_list("mode")
            .annotate(n=Count("pk"))
        )
        for mode in {*taken, *event.modes}:
            capacity = event.capacity_for(mode)
            assert capacity is None or taken.get(mode, 0) <= capacity, (event.slug, mode)
    assert Registration.objects.filter(status="warteliste").exists()  # some events are full
    assert not Registration.objects.filter(privacy_consent_at__gt=timezone.now()).exists()


def test_people_have_example_org_addresses_only():
    generate()
    addresses = [
        *Registration.objects.values_list("email", flat=True),
        *get_user_model().objects.values_list("email", flat=True),
        *ContactPerson.objects.values_list("email", flat=True),
    ]
    assert addresses
    assert all(address.endswith("@example.org") for address in addresses)
    assert Registration.objects.filter(user__isnull=False).exists()  # members
    assert Registration.objects.filter(user__isnull=True).exists()  # guests


def test_catalog_search_finds_a_generated_project_by_a_word_of_its_title(client):
    generate()
    project = (
        Project.objects.filter(publication=Publication.PUBLISHED, visibility="public")
        .order_by("slug")
        .first()
    )
    word = max(project.title.split(), key=len).strip(":–")
    assert project in project_search(Project.objects.all(), word)
    response = client.get(reverse("projects:catalog"), {"q": word})
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0


def test_stored_search_text_is_what_the_project_service_computes():
    generate()
    for project in Project.objects.order_by("?")[:30]:
        expected = search_document_for(project)
        assert sorted(project.search_document.split()) == sorted(expected.split())


def test_results_page_shows_the_generated_responses_to_a_member():
    generate()
    organization = Organization.objects.filter(slug__startswith=SLUG_PREFIX, is_member=True)
    membership = MembershipFactory(organization=organization.exclude(kind="partner").first())
    response = client_for(membership.user).get(reverse("surveys:results", args=[HOMEOFFICE]))
    assert response.status_code == 200
    assert response.context["results"].total == 30


def test_clear_removes_generated_data_and_keeps_everything_else():
    region = RegionFactory(key="08999001", name="Echtdorf")
    other = OrganizationFactory(name="Echte Stadt", region=region)
    project = ProjectFactory(owner=other)
    person = get_user_model().objects.create(email="echt@example.org", name="Echte Person")
    topics = Topic.objects.count()
    generate()
    out = StringIO()
    call_command("generate_synthetic", "--clear-only", stdout=out)
    assert not Organization.objects.filter(slug__startswith=SLUG_PREFIX).exists()
    assert not Project.objects.filter(slug__startswith=SLUG_PREFIX).exists()
    assert not Event.objects.exists()
    assert not Registration.objects.exists()
    assert not Response.objects.exists()
    assert not Region.objects.filter(official_name__endswith=REGION_MARK).exists()
    assert get_user_model().objects.count() == 1
    assert not Tag.objects.filter(technology_projects__isnull=True, vendor_projects__isnull=True)
    assert list(Organization.objects.all()) == [other]
    assert list(Project.objects.all()) == [project]
    assert Region.objects.filter(pk=region.pk).exists()
    assert get_user_model().objects.filter(pk=person.pk).exists()
    assert Topic.objects.count() == topics
    assert Questionnaire.objects.filter(slug=HOMEOFFICE).exists()


def test_refuses_to_generate_twice_without_clear():
    generate()
    with pytest.raises(CommandError):
        generate()


def test_refuses_too_few_organizations_and_negative_numbers():
    with pytest.raises(CommandError):
        generate(orgs=5)
    with pytest.raises(CommandError):
        generate(projects=-1)
    assert not Organization.objects.exists()


def test_prints_progress_per_stage_and_a_summary():
    out = generate()
    for stage in ("Organisationen", "Projekte", "Veranstaltungen", "Anmeldungen", "Antwortbögen"):
        assert f"{stage}: " in out
        assert "(100 %)" in out.split(f"{stage}: ", 1)[1]
    assert "Zusammenfassung (Startwert 1)" in out
    summary = out.split("Zusammenfassung", 1)[1]
    assert "Projekte" in summary and "300" in summary
    assert "Fertig in" in out


def test_names_come_from_the_directory_file_when_one_is_given():
    directory = names.directory_place_names(SAMPLE_DIRECTORY)
    assert directory
    generate(1, "--directory", str(SAMPLE_DIRECTORY), orgs=20, projects=10, events=1)
    towns = Organization.objects.filter(kind__in=[str(kind) for kind in MUNICIPAL_KINDS])
    from_file = towns.filter(name__in=directory).count()
    assert from_file == min(towns.count(), len(set(directory)))


def test_without_a_directory_names_sound_german():
    generated = names.place_names(random.Random(1), 200, [])
    endings = ("ingen", "heim", "hausen", "dorf", "bach", "berg", "burg", "feld", "au")
    assert sum(name.split()[0].endswith(endings) for name in generated) > 50
    assert len(set(generated)) > 190
    assert names.directory_place_names(Path("/nonexistent/GV100AD.txt")) == []


def test_generated_people_have_no_usable_password():
    generate()
    users = get_user_model().objects.all()
    assert users.exists()
    assert not any(user.has_usable_password() for user in users)
