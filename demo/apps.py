from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo district and `manage.py seed_demo`; no models."""

    name = "demo"
