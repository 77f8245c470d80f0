"""Pending changes: editors see them (their own work waiting for review); reviewers also
publish them or send them back. Editors now also edit stand-alone pages and figures: every
change to those waits for review too."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    ("editorial", "view_pendingchange"),
    ("pages", "add_page"),
    ("pages", "change_page"),
    ("pages", "view_page"),
    ("figures", "change_figure"),
    ("figures", "view_figure"),
]
REVIEWER = [*EDITOR, ("editorial", "publish_pendingchange")]
GROUPS = {"Content editor": EDITOR, "Clinical reviewer": REVIEWER}


def add_permissions(apps, schema_editor=None):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    assign_permissions(apps)


def assign_permissions(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in codenames
            ]
        )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    codename__in=[c for _, c in codenames],
                    content_type__app_label__in=[a for a, _ in codenames],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_pending_changes"),
        ("pages", "0003_historicalpage_page_content_digest_and_more"),
        ("figures", "0003_figure_version_historicalfigure"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
