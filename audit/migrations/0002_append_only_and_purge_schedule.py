import json

from django.db import migrations

# PostgreSQL refuses, whoever asks, to change an audit row, and to delete one younger than
# 190 days (the least AUDIT_KEEP_DAYS may be; the daily purge deletes only older rows).
TRIGGER = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit rows cannot be changed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.time > now() - interval '190 days' THEN
        RAISE EXCEPTION 'audit rows younger than 190 days cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""

SCHEDULE = ("Purge the old audit trail", "audit.purge",
            "清理审计日志：每天删除 AUDIT_KEEP_DAYS 天（不少于 190 天）前的审计记录，较新的记录从不删除。"
            " Deletes the audit rows older than AUDIT_KEEP_DAYS days (never fewer than 190).")


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, description = SCHEDULE
    interval, _ = IntervalSchedule.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "interval": interval, "kwargs": json.dumps({}), "description": description},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=SCHEDULE[1]).delete()


def grant_auditor(apps, schema_editor):
    """The audit administrator's group reads the trail (audit/registry.py). org's role sync
    (after every migrate) keeps it so; this gives it on a database migrated up to here."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("audit")
    original = getattr(config, "models_module", None)
    config.models_module = original or True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="auditor")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="audit", codename="view_auditevent"))


class Migration(migrations.Migration):
    """The trail is append-only in the database too (PostgreSQL), its daily purge is a
    django-celery-beat entry, and the audit administrator may read it."""

    dependencies = [
        ("audit", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(create_schedule, remove_schedule),
        migrations.RunPython(grant_auditor, migrations.RunPython.noop),
    ]
