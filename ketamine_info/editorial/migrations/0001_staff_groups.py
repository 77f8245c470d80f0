"""The two staff roles, with exactly these permissions.

"Content editor" writes: adds, changes and views content, and sends it for review. Removing a
citation from a claim or opening hours from a contact block is part of editing them, so editors
may delete those rows; they may delete nothing else.
"Clinical reviewer" may do all of that, and also publish, unpublish and record clinical reviews.

A later change to a role is a new migration, so that these lists stay what they were.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("faqs", "add_question"),
    ("faqs", "change_question"),
    ("faqs", "view_question"),
    ("citations", "add_claim"),
    ("citations", "change_claim"),
    ("citations", "view_claim"),
    ("citations", "add_citation"),
    ("citations", "change_citation"),
    ("citations", "delete_citation"),
    ("citations", "view_citation"),
    ("citations", "add_source"),
    ("citations", "change_source"),
    ("citations", "view_source"),
    ("glossary", "add_term"),
    ("glossary", "change_term"),
    ("glossary", "view_term"),
    ("clinics", "add_contactblock"),
    ("clinics", "change_contactblock"),
    ("clinics", "view_contactblock"),
    ("clinics", "add_openinghours"),
    ("clinics", "change_openinghours"),
    ("clinics", "delete_openinghours"),
    ("clinics", "view_openinghours"),
]
REVIEWER = [
    *EDITOR,
    ("articles", "publish_article"),
    ("articles", "review_article"),
    ("faqs", "publish_question"),
    ("faqs", "review_question"),
]
GROUPS = {"Content editor": EDITOR, "Clinical reviewer": REVIEWER}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations have run; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    assign_permissions(apps)


def assign_permissions(apps):
    """Create the groups and give them their permissions (which must exist)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0003_status_review_version_history"),
        ("faqs", "0002_status_review_version_history"),
        ("citations", "0003_version_history"),
        ("clinics", "0002_version_history"),
        ("glossary", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
