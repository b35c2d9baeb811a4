"""Moderators lock, pin, remove, restore and resolve through the moderation permission; they need
not change a thread's title, starter or subject, which editing a thread in the admin allowed."""

from django.db import migrations


def _change_thread(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="comments", codename="change_thread"
    )


def _moderators(apps):
    return apps.get_model("auth", "Group").objects.filter(name="Moderators").first()


def drop_change_thread(apps, schema_editor):
    if group := _moderators(apps):
        group.permissions.remove(*_change_thread(apps))


def restore_change_thread(apps, schema_editor):
    if group := _moderators(apps):
        group.permissions.add(*_change_thread(apps))


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_counter_help")]

    operations = [migrations.RunPython(drop_change_thread, restore_change_thread)]
