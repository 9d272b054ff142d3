"""PostgreSQL tells every listening web process which session, user or API token was written.

Row triggers on `django_session`, `accounts_user` and `accounts_apitoken` call
`pg_notify('rmf_rows', ...)` with what changed: `session:<md5 of the session key>` (the key
itself is a secret; its digest names it just as well), `user:<id>`, `token:<prefix>`. Every
writer is heard without having to remember to say so: a sign-in or sign-out, a password
change, a deactivation, a mark (it moves the user's progress version), a token created,
revoked or used. Notifications are delivered when the writing transaction commits and dropped
when it rolls back; identical ones in one transaction are sent once. `common/row_watch.py`
listens and forgets what they name. Nothing on SQLite. The names are written out (not imported)
so this migration never changes after the fact.
"""

from django.db import migrations

# (table, trigger function, the payload of a row written, as SQL over the row `r`)
WATCHED = [
    ("django_session", "rmf_session_notify", "'session:' || md5(r.session_key)"),
    ("accounts_user", "rmf_user_notify", "'user:' || r.id"),
    ("accounts_apitoken", "rmf_apitoken_notify", "'token:' || r.prefix"),
]


def _forwards_sql(table, function, payload):
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE r {table}%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN r := NEW; ELSE r := OLD; END IF;
    PERFORM pg_notify('rmf_rows', {payload});
    IF TG_OP = 'UPDATE' THEN
        r := NEW;
        PERFORM pg_notify('rmf_rows', {payload});
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER {function} AFTER INSERT OR UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_truncate AFTER TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION rmf_everything_notify();
"""


EVERYTHING = """
CREATE OR REPLACE FUNCTION rmf_everything_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rmf_rows', '*');
    RETURN NULL;
END
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(EVERYTHING, params=None)  # the SQL has % signs: no parameters
    for table, function, payload in WATCHED:
        schema_editor.execute(_forwards_sql(table, function, payload), params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, function, _ in WATCHED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {function} ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {function}_truncate ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")
    schema_editor.execute("DROP FUNCTION IF EXISTS rmf_everything_notify()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_progress_version"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
