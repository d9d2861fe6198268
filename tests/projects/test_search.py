import pytest
from django.db import connection

from initiativek.projects.models import Project
from initiativek.projects.search import (
    MAX_TERMS,
    project_search,
    search_document_for,
    search_terms,
    stem_words,
)
from tests.projects.factories import SearchableProjectFactory


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")


def _titles(query: str) -> list[str]:
    return [project.title for project in project_search(Project.objects.all(), query)]


# Pure functions


def test_stem_words_folds_case_umlauts_and_drops_stopwords():
    assert stem_words("Die Parkplätze und der Parkplatz") == ["parkplatz", "parkplatz"]
    assert stem_words("Digitalisierungsprojekte") == stem_words("Digitalisierungsprojekt")
    assert stem_words("Straße") == stem_words("Strasse")


def test_search_terms_drop_stopwords_duplicates_and_single_letters():
    assert search_terms("Die Parkplätze für den Parkplatz E-Akte") == ["parkplatz", "akt"]
    assert search_terms("und oder der") == []
    assert search_terms("") == []


def test_search_terms_are_limited():
    words = " ".join(f"wort{'x' * n}" for n in range(30))
    assert len(search_terms(words)) == MAX_TERMS


def test_search_terms_leave_out_excluded_words():
    assert search_terms("Parkplatz -Schranke") == ["parkplatz"]


def test_search_document_weights_title_and_summary_by_repetition(db):
    project = SearchableProjectFactory(
        title="Parkhaus",
        summary="Sensoren",
        description="Beschreibung",
        lessons_learned="Erfahrung",
        technologies=["LoRaWAN"],
        vendors=["Stadtwerke AG"],
    )
    document = search_document_for(project)
    assert document.startswith(" ")
    assert document.endswith(" ")
    words = document.split()
    assert words.count("parkhaus") == 3
    assert words.count("sensor") == 2
    assert {"beschreib", "erfahr", "lorawan", "stadtwerk", "ag"} <= set(words)


# Search on the database (SQLite and PostgreSQL)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Parkplatz", "Freie Parkplätze in der Innenstadt werden angezeigt."),
        ("Parkplätze", "Jeder Parkplatz hat einen Sensor."),
        ("Digitalisierungsprojekte", "Unser erstes Digitalisierungsprojekt."),
        ("Digitalisierungsprojekt", "Drei Digitalisierungsprojekte im Landkreis."),
        ("STRASSE", "Die Straße wird beleuchtet."),
    ],
)
def test_search_finds_other_forms_of_a_word(db, query, text):
    SearchableProjectFactory(title="Treffer", description=text)
    SearchableProjectFactory(title="Anderes", description="Etwas ganz anderes.")
    assert _titles(query) == ["Treffer"]


def test_search_does_not_match_inside_other_words(db):
    SearchableProjectFactory(title="Parkplatzsuche", description="Freie Stellplätze")
    SearchableProjectFactory(title="Spielplatz", summary="Neue Geräte")
    assert _titles("platz") == []
    assert _titles("Stellplatz") == ["Parkplatzsuche"]


def test_search_requires_every_word(db):
    SearchableProjectFactory(title="Smart Parking", description="Sensoren zeigen freie Plätze")
    SearchableProjectFactory(title="Smart City", description="Laternen mit Sensoren")
    assert _titles("Sensoren Parking") == ["Smart Parking"]


def test_search_excludes_words_with_minus(db):
    SearchableProjectFactory(title="Smart Parking", description="Sensoren im Parkhaus")
    SearchableProjectFactory(title="Smart City", description="Sensoren in Laternen")
    assert _titles("Sensoren -Parkhaus") == ["Smart City"]


def test_title_match_ranks_above_description_match(db):
    SearchableProjectFactory(title="Bürgerservice", description="Ein Chatbot beantwortet Fragen.")
    SearchableProjectFactory(title="Chatbot Kora", description="Beantwortet Fragen.")
    SearchableProjectFactory(title="Nichts davon", description="Anderes Thema.")
    results = list(project_search(Project.objects.all(), "Chatbot"))
    assert [project.title for project in results] == ["Chatbot Kora", "Bürgerservice"]
    assert results[0].rank > results[1].rank


def test_search_covers_lessons_learned_technologies_vendors_and_topics(db):
    from initiativek.core.models import Topic

    topic = Topic.objects.create(name="Verkehrsberuhigung", slug="verkehrsberuhigung")
    SearchableProjectFactory(title="Erfahrungen", lessons_learned="Früh die Datenschutzbeauftragte")
    SearchableProjectFactory(title="Funknetz", technologies=["LoRaWAN"])
    SearchableProjectFactory(title="Dokumente", vendors=["Komm.ONE"])
    SearchableProjectFactory(title="Verkehr", topics=[topic])
    assert _titles("Datenschutzbeauftragte") == ["Erfahrungen"]
    assert _titles("lorawan") == ["Funknetz"]
    assert _titles("Komm.ONE") == ["Dokumente"]
    assert _titles("Verkehrsberuhigungen") == ["Verkehr"]


def test_search_combines_words_from_texts_and_technologies(db):
    SearchableProjectFactory(title="Parken in Baden-Baden", technologies=["LoRaWAN"])
    SearchableProjectFactory(title="Parken in Konstanz", technologies=["Kameras"])
    assert _titles("LoRaWAN Parken") == ["Parken in Baden-Baden"]


@pytest.mark.parametrize("query", ["", "   ", "und der die", "-", "!!!", "\x00"])
def test_search_without_searchable_words_finds_nothing(db, query):
    SearchableProjectFactory(title="Und der Die")
    assert _titles(query) == []


@pytest.mark.parametrize(
    "query", ["'\"&|!:*()<->", "Park\x00platz", "a & b | !c", '"Smart', "%_\\", "x" * 500]
)
def test_search_survives_syntax_characters(db, query):
    SearchableProjectFactory(title="Smart Parking")
    assert isinstance(_titles(query), list)


def test_search_keeps_the_given_queryset(db):
    SearchableProjectFactory(title="Parkplatz A", status="idee")
    SearchableProjectFactory(title="Parkplatz B", status="geplant")
    queryset = Project.objects.filter(status="idee")
    assert [p.title for p in project_search(queryset, "Parkplatz")] == ["Parkplatz A"]


# PostgreSQL only: the GIN index


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index(postgres):
    SearchableProjectFactory(title="Parkplatz", technologies=["LoRaWAN"])
    search = project_search(Project.objects.all(), "Parkplatz LoRaWAN")
    sql, params = search.query.sql_with_params()
    with connection.cursor() as cursor:
        # The table is tiny; without this PostgreSQL would rightly prefer reading it whole.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on projects_project_search_gin" in plan


@pytest.mark.postgres
def test_stored_search_vector_is_the_own_text_vector(postgres):
    """Migration 0003 generates ``search_vector`` from the same expression as
    ``own_text_vector()``; a change to one without the other fails here."""
    from initiativek.projects.search import StoredSearchVector, own_text_vector

    project = SearchableProjectFactory(
        title="Parkplatz", summary="Sensoren melden freie Plätze", lessons_learned="Früh testen"
    )

    def vectors():
        row = (
            Project.objects.filter(pk=project.pk)
            .annotate(stored=StoredSearchVector(), computed=own_text_vector())
            .values("stored", "computed")
            .get()
        )
        return row["stored"], row["computed"]

    stored, computed = vectors()
    assert stored == computed
    assert "sensor" in stored

    Project.objects.filter(pk=project.pk).update(description="Ladesäulen im Quartier")
    stored, computed = vectors()
    assert stored == computed
    assert "ladesaul" in stored
