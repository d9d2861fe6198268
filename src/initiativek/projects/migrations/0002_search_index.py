"""GIN index for the catalog's full-text search on PostgreSQL (a no-op on other databases).

The indexed expression is the SQL Django generates for ``projects.search.own_text_vector()``;
PostgreSQL uses an expression index only when the query repeats the expression exactly, so the
two must change together. ``tests/projects/test_search.py`` checks that the index is used.
Technologies, vendors and topics live in other tables and cannot be part of an index expression;
the search matches them through small subqueries instead.
"""

from django.db import migrations

INDEX_NAME = "projects_project_search_gin"

CREATE_INDEX = f"""
CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON projects_project USING GIN ((
    (setweight(to_tsvector('german'::regconfig, COALESCE("title", '')), 'A')
     || setweight(to_tsvector('german'::regconfig, COALESCE("summary", '')), 'B'))
    || setweight(to_tsvector('german'::regconfig,
         COALESCE("description", '') || ' ' || COALESCE("lessons_learned", '')), 'C')
))
"""

DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
