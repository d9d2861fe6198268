"""A stored search vector for the catalog's full-text search on PostgreSQL (no-op elsewhere).

0002 indexed the expression ``projects.search.own_text_vector()``. The index finds the matching
rows quickly, but PostgreSQL rechecks and ranks every match by computing the expression again
from the texts: ``to_tsvector`` over about 1,500 characters per project. A common word matches
a third of 100,000 projects, so one search computed tens of thousands of vectors, and the catalog
page ran the search seven times (result, count, facets) – seconds per page
(``benchmarks/README.md``).

This migration stores the vector in the generated column ``search_vector`` – PostgreSQL keeps it
up to date on every insert and update, whatever writes the row – and moves the GIN index (same
name, so ``test_search`` still finds it) from the expression to the column. The column is not a
model field: only ``projects.search`` reads it, through ``StoredSearchVector``. Its expression is
``own_text_vector()``; change both together.

Adding the column rewrites the table: about 10 s for 100,000 projects.
"""

from django.db import migrations

INDEX_NAME = "projects_project_search_gin"

VECTOR = """
    (setweight(to_tsvector('german'::regconfig, COALESCE("title", '')), 'A')
     || setweight(to_tsvector('german'::regconfig, COALESCE("summary", '')), 'B'))
    || setweight(to_tsvector('german'::regconfig,
         COALESCE("description", '') || ' ' || COALESCE("lessons_learned", '')), 'C')
"""

FORWARD = [
    # MAIN: kept in the row (compressed) rather than in the TOAST table, so checking a match
    # reads the row's page only; the long texts, read only for the page shown, move out instead.
    f"""ALTER TABLE projects_project
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED,
        ALTER COLUMN search_vector SET STORAGE MAIN""",
    f"DROP INDEX IF EXISTS {INDEX_NAME}",
    f"CREATE INDEX {INDEX_NAME} ON projects_project USING GIN (search_vector)",
    # The catalog without search lists the newest published projects first.
    """CREATE INDEX IF NOT EXISTS projects_project_catalog_newest ON projects_project
        (published_at DESC NULLS LAST, created_at DESC, id DESC)
        WHERE publication = 'veroeffentlicht'""",
]

BACKWARD = [
    "DROP INDEX IF EXISTS projects_project_catalog_newest",
    f"DROP INDEX IF EXISTS {INDEX_NAME}",
    "ALTER TABLE projects_project DROP COLUMN IF EXISTS search_vector",
    f"CREATE INDEX {INDEX_NAME} ON projects_project USING GIN (({VECTOR}))",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_search_index"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
