import core.models
import django.db.models.deletion
import simple_history.models
import supervision.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Spot checks, findings and bulletins (with their histories and the bulletin counter) move
    here from duty, which created them (duty 0005, 0007). Their tables keep their names
    (duty_spotcheck, ...): this migration only tells Django's state that the models are
    supervision's now, and touches no table. duty 0008 takes them out of duty's state, and
    supervision 0002 moves their content types (and so their permissions)."""

    initial = True

    dependencies = [
        ('duty', '0007_spot_check_and_bulletin_filter_indexes'),
        ('org', '0004_phone_number_validator'),
        ('posts', '0005_school_contact_phone_validator'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='BulletinCounter',
                    fields=[
                        ('year', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                        ('last_number', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'verbose_name': 'bulletin counter',
                        'db_table': 'duty_bulletincounter',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalBulletin',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('period_start', models.DateField(verbose_name='period from')),
                        ('period_end', models.DateField(verbose_name='period to')),
                        ('text', models.TextField(blank=True, verbose_name='text')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('issued', 'Issued')], default='draft', max_length=8, verbose_name='status')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                        ('number', models.PositiveIntegerField(blank=True, null=True, verbose_name='number')),
                        ('content', models.JSONField(blank=True, default=dict, verbose_name='frozen content')),
                        ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='issued at')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='drafted by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('issued_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.unit', verbose_name='issuing unit')),
                    ],
                    options={
                        'verbose_name': 'historical supervision bulletin',
                        'verbose_name_plural': 'historical supervision bulletins',
                        'db_table': 'duty_historicalbulletin',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalSpotCheck',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('method', models.CharField(choices=[('onsite', 'On-site visit'), ('video', 'Video patrol'), ('radio', 'Radio roll-call')], max_length=8, verbose_name='method')),
                        ('checked_at', models.DateTimeField(verbose_name='checked at')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('post', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='posts.post', verbose_name='post')),
                        ('shift', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='duty.shift', verbose_name='shift')),
                        ('station', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.unit', verbose_name='police station')),
                        ('supervisor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='supervisor')),
                    ],
                    options={
                        'verbose_name': 'historical spot check',
                        'verbose_name_plural': 'historical spot checks',
                        'db_table': 'duty_historicalspotcheck',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='SpotCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('method', models.CharField(choices=[('onsite', 'On-site visit'), ('video', 'Video patrol'), ('radio', 'Radio roll-call')], max_length=8, verbose_name='method')),
                        ('checked_at', models.DateTimeField(verbose_name='checked at')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('post', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='spot_checks', to='posts.post', verbose_name='post')),
                        ('shift', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='spot_checks', to='duty.shift', verbose_name='shift')),
                        ('station', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='police station')),
                        ('supervisor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='supervisor')),
                    ],
                    options={
                        'verbose_name': 'spot check',
                        'verbose_name_plural': 'spot checks',
                        'db_table': 'duty_spotcheck',
                        'ordering': ['-checked_at'],
                    },
                    bases=(core.models.DetailUrlMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalFinding',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('issue', models.CharField(choices=[('absent', 'Absent from the post'), ('left_post', 'Left the post'), ('withdrew_early', 'Withdrew early'), ('kit_missing', 'Kit incomplete'), ('conduct', 'Improper dress or conduct'), ('other', 'Other')], max_length=16, verbose_name='issue')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                        ('photo', models.TextField(blank=True, max_length=100, verbose_name='photo')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.person', verbose_name='person')),
                        ('spot_check', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='supervision.spotcheck', verbose_name='spot check')),
                    ],
                    options={
                        'verbose_name': 'historical finding',
                        'verbose_name_plural': 'historical findings',
                        'db_table': 'duty_historicalfinding',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Finding',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('issue', models.CharField(choices=[('absent', 'Absent from the post'), ('left_post', 'Left the post'), ('withdrew_early', 'Withdrew early'), ('kit_missing', 'Kit incomplete'), ('conduct', 'Improper dress or conduct'), ('other', 'Other')], max_length=16, verbose_name='issue')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                        ('photo', models.FileField(blank=True, upload_to=supervision.models.finding_photo_path, verbose_name='photo')),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='findings', to='org.person', verbose_name='person')),
                        ('spot_check', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='supervision.spotcheck', verbose_name='spot check')),
                    ],
                    options={
                        'verbose_name': 'finding',
                        'verbose_name_plural': 'findings',
                        'db_table': 'duty_finding',
                        'ordering': ['spot_check_id', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Bulletin',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('period_start', models.DateField(verbose_name='period from')),
                        ('period_end', models.DateField(verbose_name='period to')),
                        ('text', models.TextField(blank=True, verbose_name='text')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('issued', 'Issued')], default='draft', max_length=8, verbose_name='status')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                        ('number', models.PositiveIntegerField(blank=True, null=True, verbose_name='number')),
                        ('content', models.JSONField(blank=True, default=dict, verbose_name='frozen content')),
                        ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='issued at')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='drafted by')),
                        ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='issuing unit')),
                    ],
                    options={
                        'verbose_name': 'supervision bulletin',
                        'verbose_name_plural': 'supervision bulletins',
                        'db_table': 'duty_bulletin',
                        'ordering': ['-year', '-number', '-period_end'],
                        'indexes': [models.Index(fields=['status', 'issued_at'], name='duty_bullet_status_a932af_idx'), models.Index(fields=['issued_at'], name='bulletin_issued_at'), models.Index(fields=['number', 'year'], name='bulletin_number_year'), models.Index(fields=['year', 'number'], name='bulletin_year_number')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('year', 'number'), name='bulletin_number_unique_per_year', violation_error_message='A bulletin with this number was already issued this year.'), models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='bulletin_period_valid', violation_error_message='The period cannot end before it starts.'), models.CheckConstraint(condition=models.Q(('status', 'draft'), models.Q(('number__isnull', False), ('issued_at__isnull', False)), _connector='OR'), name='bulletin_issued_has_number')],
                    },
                    bases=(core.models.DetailUrlMixin, models.Model),
                ),
                migrations.AddIndex(
                    model_name='spotcheck',
                    index=models.Index(fields=['station', 'checked_at'], name='duty_spotch_station_d01611_idx'),
                ),
                migrations.AddIndex(
                    model_name='spotcheck',
                    index=models.Index(fields=['checked_at'], name='duty_spotch_checked_935c80_idx'),
                ),
                migrations.AddIndex(
                    model_name='spotcheck',
                    index=models.Index(fields=['method', 'checked_at'], name='spotcheck_method_checked_at'),
                ),
                migrations.AddIndex(
                    model_name='finding',
                    index=models.Index(fields=['issue'], name='duty_findin_issue_3cd3ff_idx'),
                ),
            ],
        ),
    ]
