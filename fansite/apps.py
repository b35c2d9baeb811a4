from django.apps import AppConfig


class FansiteConfig(AppConfig):
    """The project package as an app, for site-wide management commands and template tags."""

    name = "fansite"
    verbose_name = "Fan site"
