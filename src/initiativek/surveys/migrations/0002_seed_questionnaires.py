"""Seeds the home-office questionnaire (a draft without dates: the team sets the dates and
publishes it) and the template for event feedback."""

from django.db import migrations

from initiativek.surveys.definitions import DEFINITIONS, MODEL_NAMES, definition_apply


def _models(apps):
    return {name: apps.get_model("surveys", name) for name in MODEL_NAMES}


def seed(apps, schema_editor):
    models = _models(apps)
    for definition in DEFINITIONS:
        definition_apply(definition, models=models)


def unseed(apps, schema_editor):
    """Remove the seeded questionnaires unless organizations have answered them."""
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Questionnaire.objects.filter(
        slug__in=[definition.slug for definition in DEFINITIONS], responses__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
