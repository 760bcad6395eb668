from axes.apps import AppConfig as BaseAxesConfig
from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from huxue.schedules import sync_periodic_task_names


class HuxueConfig(AppConfig):
    default = True  # this module holds another app's config too (AxesConfig)
    name = "huxue"
    verbose_name = "Huxue"

    def ready(self):
        # After the apps' data migrations have made their periodic jobs: their Chinese names.
        # (post_migrate is sent once per app that has models; the jobs' own app has.)
        post_migrate.connect(
            sync_periodic_task_names,
            sender=apps.get_app_config("django_celery_beat"),
            dispatch_uid="huxue.periodic_task_names",
        )


class AxesConfig(BaseAxesConfig):
    """django-axes under a Chinese name in the back office (its own config has none)."""

    default = False
    verbose_name = _("Login lockout")
