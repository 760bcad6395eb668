from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_holidays(sender, **kwargs):
    # The package's years come back after a flush (tests) as they came with the migration;
    # years already present, perhaps edited by an administrator, are kept.
    from posts.holidays import load_package_holidays
    from posts.models import Holiday, HolidayYear

    load_package_holidays(HolidayYear, Holiday)


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("Schools and posts")

    def ready(self):
        post_migrate.connect(_load_holidays, sender=self, dispatch_uid="posts.load_holidays")
