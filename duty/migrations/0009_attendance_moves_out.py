from django.db import migrations


class Migration(migrations.Migration):
    """Check-ins now belong to attendance (attendance 0001 took them over, table and rows as
    they are): take them out of duty's state only. No table is dropped."""

    dependencies = [
        ("duty", "0008_supervision_moves_out"),
        ("attendance", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="CheckIn"),
            ],
        ),
    ]
