"""Typo-tolerant search on PostgreSQL: the pg_trgm extension and GIN trigram indexes on the
titles `roadmaps/search.py` compares when nothing matches exactly ("celry" finds Celery).

PostgreSQL only; on SQLite (the embedded default) this migration does nothing and search
corrects words against the published titles instead (`roadmaps/search_vocabulary.py`).
Creating the extension needs a role allowed to (the database owner on PostgreSQL 13+, where
pg_trgm is a trusted extension). Reversing drops the indexes and keeps the extension, which
other schemas may use.
"""

from django.db import migrations

TRIGRAM_INDEXES = {
    "roadmaps_roadmap_title_trgm": "roadmaps_roadmap",
    "roadmaps_phase_title_trgm": "roadmaps_phase",
    "roadmaps_section_title_trgm": "roadmaps_section",
    "roadmaps_topic_title_trgm": "roadmaps_topic",
    "roadmaps_resource_title_trgm": "roadmaps_resource",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (title gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0008_content_for_site_import"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
