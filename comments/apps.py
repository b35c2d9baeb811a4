from functools import partial

from django.apps import AppConfig
from django.db import transaction


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_delete

        # The one signal doing work in this app, and on purpose: like_count is a denormalised
        # counter, and a user's likes vanish by cascade wherever the user is deleted (the
        # account page, the admin, a shell), with no service call to hook. Running inside the
        # deletion's transaction, before the cascade, keeps the counters exact in every case.
        # The other counters need nothing: a deleted user's comments stay, with author NULL.
        pre_delete.connect(
            _withdraw_likes, sender=get_user_model(), dispatch_uid="comments.withdraw_likes"
        )
        # News posts and tracker changes are written by the news and films apps, which may not
        # import comments: these receivers only hand the saved row's id, after commit (when a
        # post's films and people are saved too), to comments.following, which decides.
        post_save.connect(_post_saved, sender="news.Post", dispatch_uid="comments.post_saved")
        post_save.connect(
            _status_change_saved,
            sender="films.CreditStatusChange",
            dispatch_uid="comments.status_change_saved",
        )


def _withdraw_likes(sender, instance, **kwargs) -> None:
    from comments.services import likes_withdraw

    likes_withdraw(user=instance)


def _post_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    from comments.following import announce_post_when_saved

    if not raw:  # loaddata
        transaction.on_commit(partial(announce_post_when_saved, post_id=instance.pk))


def _status_change_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    from comments.following import announce_status_change_saved

    if created and not raw:
        transaction.on_commit(partial(announce_status_change_saved, change_id=instance.pk))
