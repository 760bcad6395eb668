from django.db import migrations

from org.roles import sync_role_groups

# The models that moved from duty (attendance 0001, duty 0009), by model name.
MOVED = ["checkin"]


def _move(apps, old_label: str, new_label: str) -> None:
    """Give the moved models' content types their new app label, so that the permissions on
    them (and the role groups' and users' grants of those permissions) and the back office's
    log entries keep pointing at the same model. Should the new label already have a content
    type for a model (something created it before this ran), the old one's log entries and
    grants are carried over to it and the old one is deleted."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=new_label, model=model).first()
        if new is None:
            old.app_label = new_label
            old.save(update_fields=["app_label"])
            continue
        LogEntry.objects.filter(content_type=old).update(content_type=new)
        for perm in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(content_type=new, codename=perm.codename).first()
            if twin is not None:
                twin.group_set.add(*perm.group_set.all())
                twin.user_set.add(*perm.user_set.all())
        old.delete()
    # ContentType.objects caches by id and by natural key; forget what may now be stale.
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, "duty", "attendance")


def backwards(apps, schema_editor):
    _move(apps, "attendance", "duty")


class Migration(migrations.Migration):
    """The content type of the check-in follows it (its permissions become
    attendance.view_checkin, attendance.add_checkin etc.), then the role groups are re-synced
    with the permissions attendance declares (attendance/registry.py), as on a fresh
    database."""

    dependencies = [
        ("attendance", "0001_initial"),
        ("duty", "0009_attendance_moves_out"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
