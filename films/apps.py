from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Films and people"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from films.caching import film_list_changed

        # Any save, the admin's and a shell's included: a versioned cache must miss no change.
        post_save.connect(film_list_changed, sender="films.Film", dispatch_uid="films.list.saved")
        post_delete.connect(
            film_list_changed, sender="films.Film", dispatch_uid="films.list.deleted"
        )
