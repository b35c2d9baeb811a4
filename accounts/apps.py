from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users"

    def ready(self) -> None:
        from accounts import image_cleanup

        pre_save.connect(image_cleanup.remember_stored_images, dispatch_uid="images-remember")
        post_save.connect(image_cleanup.delete_replaced_images, dispatch_uid="images-replaced")
        post_delete.connect(
            image_cleanup.delete_images_of_deleted_rows, dispatch_uid="images-deleted"
        )
