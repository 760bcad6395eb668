"""Cross-app model bases (no models of its own)."""

from django.urls import reverse


class DetailUrlMixin:
    """`get_absolute_url()` for models whose pages are named `<app>:<model>_detail`."""

    def get_absolute_url(self) -> str:
        opts = self._meta
        return reverse(f"{opts.app_label}:{opts.model_name}_detail", args=[self.pk])
