"""The two staff roles, with exactly these permissions.

"Content editor" writes: adds, changes and views content, and sends it for review. Removing a
citation from a claim or opening hours from a contact block is part of editing them, so editors
may delete those rows; they may delete nothing else. Every change an editor makes to what patients
see (contact blocks, search synonyms and best bets included) waits for a clinical reviewer.
"Clinical reviewer" may do all of that, and also publish, unpublish and record clinical reviews.

The groups are made and brought in line with these lists after every ``migrate`` (and after
``flush``), the way ``django.contrib.auth`` makes permissions: a change to a role is a change
to this module, with no data migration importing live code.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

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
    # Every change to a stand-alone page or a figure waits for review; editors see their
    # own waiting changes.
    ("pages", "add_page"),
    ("pages", "change_page"),
    ("pages", "view_page"),
    ("figures", "add_figure"),
    ("figures", "change_figure"),
    ("figures", "view_figure"),
    # A new picture is a draft until a reviewer publishes it.
    ("images", "add_image"),
    ("images", "change_image"),
    ("images", "view_image"),
    ("decisions", "add_comparison"),
    ("decisions", "change_comparison"),
    ("decisions", "view_comparison"),
    # Search synonyms and best bets change what a search finds, and in what order: an editor
    # proposes, a reviewer publishes.
    ("search", "add_synonym"),
    ("search", "change_synonym"),
    ("search", "view_synonym"),
    ("search", "add_bestbet"),
    ("search", "change_bestbet"),
    ("search", "view_bestbet"),
    # What patients could not find (counts only), to propose synonyms and best bets from.
    ("search", "view_missedsearch"),
    ("editorial", "view_pendingchange"),
    # What readers reported about a page: read it and tick it off.
    ("feedback", "view_report"),
    ("feedback", "change_report"),
]
REVIEWER = [
    *EDITOR,
    ("articles", "publish_article"),
    ("articles", "review_article"),
    ("faqs", "publish_question"),
    ("faqs", "review_question"),
    ("images", "publish_image"),
    ("images", "review_image"),
    ("editorial", "publish_pendingchange"),
]
GROUPS = {"Content editor": EDITOR, "Clinical reviewer": REVIEWER}


def assign_permissions(apps=global_apps, using="default") -> None:
    """Create the groups and give them exactly their permissions (which must exist)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permissions = [
            Permission.objects.using(using).get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(permissions)


def ensure_staff_groups(sender, app_config=None, using="default", apps=global_apps, **kwargs):
    """``post_migrate`` receiver: runs once per migrate, when the editorial app's turn comes."""
    if sender.name != "ketamine_info.editorial":
        return
    # Permissions of apps listed after this one are not made yet: make every app's now.
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using, apps=apps)
    assign_permissions(apps, using)
