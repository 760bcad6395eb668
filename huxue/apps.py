from django.apps import AppConfig


class HuxueConfig(AppConfig):
    name = "huxue"
    verbose_name = "Huxue"
