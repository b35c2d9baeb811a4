from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class FansiteConfig(AppConfig):
    """The project package as an app, for site-wide management commands and template tags."""

    name = "fansite"
    verbose_name = "Fan site"

    def ready(self) -> None:
        from comments.caching import content_changed
        from fansite.page_cache import retire_on_write

        # Cache invalidation, not domain logic: any write retires anonymous cached pages.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(retire_on_write, dispatch_uid=f"page-cache-{signal!r}")
        content_changed.connect(_retire, dispatch_uid="page-cache-content-changed")

        from fansite.search_operations import restore_after_migrate

        # Upkeep of the database, not domain logic: SQLite drops the search triggers of a table
        # a migration rebuilds. Sent per app; the comments app migrates last of ours.
        post_migrate.connect(
            restore_after_migrate,
            sender=apps.get_app_config("comments"),
            dispatch_uid="search-restore-sqlite-triggers",
        )


def _retire(sender, **kwargs) -> None:
    from fansite.page_cache import retire_cached_pages

    retire_cached_pages()
