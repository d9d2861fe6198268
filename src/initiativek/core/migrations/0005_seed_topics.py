from django.db import migrations

TOPICS = [
    ("homeoffice", "Homeoffice & mobiles Arbeiten"),
    ("it-infrastruktur", "IT-Infrastruktur & Sicherheit/VPN"),
    ("eakte-dms", "eAkte/DMS"),
    ("e-government-ozg", "E-Government & OZG"),
    ("chatbot-buergerservice", "Chatbot & Bürgerservice"),
    ("smart-city-iot", "Smart City & IoT/LoRaWAN"),
    ("mobilitaet-parken", "Mobilität & Parken"),
    ("daten-statistik", "Daten & Statistik"),
    ("klimaschutz-gebaeude", "Klimaschutz & Gebäude"),
    ("schulen", "Schulen"),
    ("feuerwehr", "Feuerwehr"),
    ("ver-entsorgung", "Ver- und Entsorgung"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("core", "Topic")
    for position, (slug, name) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("core", "0004_topic_notification")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
