"""An "Editors" group: enter and publish films, people, characters, credits and news."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = {
    "films": ["film", "person", "character", "credit", "creditstatuschange", "productionevent"],
    "news": ["post", "source"],
}
ACTIONS = ["view", "add", "change", "delete"]


def create_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    for app_label, models in EDITOR_MODELS.items():
        # Permissions are normally made after all migrations; the group needs them now.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("films", "0003_credit_defaults_and_crew_job"),
        ("news", "0002_alter_post_image_caption_alter_post_published_at_and_more"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
