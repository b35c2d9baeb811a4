from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        # The one signal in this app, and on purpose: like_count is a denormalised counter, and
        # a user's likes vanish by cascade wherever the user is deleted (the account page, the
        # admin, a shell), with no service call to hook. Running inside the deletion's
        # transaction, before the cascade, keeps the counters exact in every case. The other
        # counters need nothing: a deleted user's comments stay, with author set to NULL.
        pre_delete.connect(
            _withdraw_likes, sender=get_user_model(), dispatch_uid="comments.withdraw_likes"
        )


def _withdraw_likes(sender, instance, **kwargs) -> None:
    from comments.services import likes_withdraw

    likes_withdraw(user=instance)
