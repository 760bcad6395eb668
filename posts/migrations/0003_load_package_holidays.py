from django.db import migrations

from posts.holidays import load_package_holidays


def load(apps, schema_editor):
    load_package_holidays(apps.get_model("posts", "HolidayYear"), apps.get_model("posts", "Holiday"))


class Migration(migrations.Migration):
    """Public holidays and make-up working days for every year chinesecalendar knows."""

    dependencies = [("posts", "0002_holidays")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
