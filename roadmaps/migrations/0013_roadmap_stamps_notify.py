"""PostgreSQL tells every listening web process when the roadmaps table is written.

A statement trigger on `roadmaps_roadmap` calls `pg_notify('rmf_rows', 'stamps')` after any
INSERT, UPDATE, DELETE or TRUNCATE, so every writer (the admin, imports, the link checker, raw
SQL) is heard without having to remember to say so. Notifications are delivered when the writing
transaction commits and dropped when it rolls back; identical ones in one transaction are sent
once. `common/row_watch.py` listens and forgets the roadmaps' stamps it kept. Nothing on SQLite. The names are written out (not
imported) so this migration never changes after the fact.
"""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION roadmaps_roadmap_stamps_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rmf_rows', 'stamps');
    RETURN NULL;
END
$$;
CREATE TRIGGER roadmaps_roadmap_stamps
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON roadmaps_roadmap
FOR EACH STATEMENT EXECUTE FUNCTION roadmaps_roadmap_stamps_notify();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS roadmaps_roadmap_stamps ON roadmaps_roadmap;
DROP FUNCTION IF EXISTS roadmaps_roadmap_stamps_notify();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0012_tags")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
