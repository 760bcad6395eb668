from django.db import migrations


class Migration(migrations.Migration):
    """Spot checks, findings and bulletins now belong to supervision (supervision 0001 took
    them over, tables and rows as they are): take them out of duty's state only. No table is
    dropped."""

    dependencies = [
        ("duty", "0007_spot_check_and_bulletin_filter_indexes"),
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="HistoricalFinding"),
                migrations.DeleteModel(name="Finding"),
                migrations.DeleteModel(name="HistoricalSpotCheck"),
                migrations.DeleteModel(name="SpotCheck"),
                migrations.DeleteModel(name="HistoricalBulletin"),
                migrations.DeleteModel(name="Bulletin"),
                migrations.DeleteModel(name="BulletinCounter"),
            ],
        ),
    ]
