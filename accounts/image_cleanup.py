"""Uploaded images leave storage when their row no longer points at them.

A replaced or cleared avatar, poster, headshot or news image would otherwise stay on disk and
publicly served at its old address. Every model field that is a SafeImageField is covered: the
old file and its thumbnails go once the transaction that dropped it commits (a rollback keeps
them). Connected for all models in AccountsConfig.ready: file housekeeping, not domain logic.
"""

from functools import cache, partial

from django.db import transaction
from sorl.thumbnail import delete as delete_with_thumbnails

from accounts.images import SafeImageField


@cache
def image_fields(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields if isinstance(f, SafeImageField))


def _delete_later(model, field_name: str, name: str) -> None:
    field = model._meta.get_field(field_name)
    stored = field.attr_class(None, field, name)
    transaction.on_commit(partial(delete_with_thumbnails, stored, delete_file=True))


def remember_stored_images(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save: note which files the row points at now, before the save changes them."""
    names = image_fields(sender)
    if update_fields is not None:
        names = tuple(name for name in names if name in update_fields)
    if raw or not names or instance._state.adding or instance.pk is None:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values(*names).first() or {}
    instance._stored_image_names = stored


def delete_replaced_images(sender, instance, **kwargs) -> None:
    """post_save: a file the row no longer points at is deleted after commit."""
    stored = instance.__dict__.pop("_stored_image_names", None)
    for field_name, old_name in (stored or {}).items():
        if old_name and old_name != getattr(instance, field_name).name:
            _delete_later(sender, field_name, old_name)


def delete_images_of_deleted_rows(sender, instance, **kwargs) -> None:
    """post_delete: the row's files go with it."""
    for field_name in image_fields(sender):
        name = getattr(instance, field_name).name
        if name:
            _delete_later(sender, field_name, name)
