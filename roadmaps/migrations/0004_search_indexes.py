"""GIN indexes for full-text search, on PostgreSQL only (SQLite searches without them).

Each index is on the exact expression roadmaps/search.py builds with `search_document()`:
weighted to_tsvector('english') of the listed fields, joined with ||. If you change the fields or
weights there, add a migration that recreates the index here, or PostgreSQL stops using it.
The definitions are written out (not imported) so this migration never changes after the fact.
"""

from django.db import migrations

SEARCH_INDEXES = {
    "roadmaps_roadmap_search": (
        "roadmaps_roadmap",
        [("title", "A"), ("summary", "B"), ("category", "C"), ("description", "D")],
    ),
    "roadmaps_phase_search": (
        "roadmaps_phase",
        [("title", "A"), ("summary", "B"), ("level_label", "C")],
    ),
    "roadmaps_section_search": ("roadmaps_section", [("title", "A")]),
    "roadmaps_topic_search": ("roadmaps_topic", [("title", "A"), ("summary", "B")]),
    "roadmaps_resource_search": ("roadmaps_resource", [("title", "A"), ("author", "C")]),
}


def _document(fields):
    return " || ".join(
        f"setweight(to_tsvector('english'::regconfig, COALESCE({column}, '')), '{weight}')"
        for column, weight in fields
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, fields) in SEARCH_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({_document(fields)}))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0003_linkstatus_editors"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
