from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """SQL that only PostgreSQL understands; other databases skip it (the service layer
    enforces the same rule there, and SQLite serialises write transactions anyway)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    """No person on two overlapping shifts, enforced by PostgreSQL itself: an exclusion
    constraint over the assignment's window, for active assignments."""

    dependencies = [("duty", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        PostgreSQLOnly(
            sql=(
                "ALTER TABLE duty_assignment ADD CONSTRAINT assignment_no_overlap "
                "EXCLUDE USING gist (person_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
                "WHERE (active)"
            ),
            reverse_sql="ALTER TABLE duty_assignment DROP CONSTRAINT assignment_no_overlap",
        ),
    ]
