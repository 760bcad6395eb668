import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Check-ins move here from duty, which created them (duty 0005). Their table keeps its
    name (duty_checkin): this migration only tells Django's state that the model is
    attendance's now, and touches no table. duty 0009 takes it out of duty's state, and
    attendance 0002 moves its content type (and so its permissions)."""

    initial = True

    dependencies = [
        ('duty', '0008_supervision_moves_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='CheckIn',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(verbose_name='checked in at')),
                        ('method', models.CharField(choices=[('phone', 'Phone at the post'), ('radio', 'Radio roll-call (recorded by the dispatcher)')], default='phone', max_length=8, verbose_name='method')),
                        ('lat', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='latitude')),
                        ('lng', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='longitude')),
                        ('accuracy_m', models.PositiveIntegerField(blank=True, null=True, verbose_name='location accuracy (m)')),
                        ('distance_m', models.PositiveIntegerField(blank=True, null=True, verbose_name='distance to the post (m)')),
                        ('inside_geofence', models.BooleanField(null=True, verbose_name='inside the geofence')),
                        ('outside_reason', models.CharField(blank=True, max_length=200, verbose_name='reason for checking in away from the post')),
                        ('kit', models.JSONField(blank=True, default=list, verbose_name='kit worn')),
                        ('kit_missing', models.JSONField(blank=True, default=list, verbose_name='kit missing')),
                        ('flagged', models.BooleanField(default=False, verbose_name='flagged')),
                        ('assignment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='check_in', to='duty.assignment', verbose_name='assignment')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'check-in',
                        'verbose_name_plural': 'check-ins',
                        'db_table': 'duty_checkin',
                        'indexes': [models.Index(fields=['flagged', 'at'], name='duty_checki_flagged_832ff4_idx')],
                    },
                ),
            ],
        ),
    ]
