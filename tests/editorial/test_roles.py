"""The staff groups a migration creates, with exactly these permissions."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

EDITOR = {
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "faqs.add_question",
    "faqs.change_question",
    "faqs.view_question",
    "citations.add_claim",
    "citations.change_claim",
    "citations.view_claim",
    "citations.add_citation",
    "citations.change_citation",
    "citations.delete_citation",
    "citations.view_citation",
    "citations.add_source",
    "citations.change_source",
    "citations.view_source",
    "glossary.add_term",
    "glossary.change_term",
    "glossary.view_term",
    "clinics.add_contactblock",
    "clinics.change_contactblock",
    "clinics.view_contactblock",
    "clinics.add_openinghours",
    "clinics.change_openinghours",
    "clinics.delete_openinghours",
    "clinics.view_openinghours",
    # Their changes to live content wait for review (a later migration).
    "editorial.view_pendingchange",
    "feedback.view_report",
    "feedback.change_report",
    "pages.add_page",
    "pages.change_page",
    "pages.view_page",
    "figures.add_figure",
    "figures.change_figure",
    "figures.view_figure",
    # A new picture is a draft until a reviewer publishes it.
    "images.add_image",
    "images.change_image",
    "images.view_image",
    "decisions.add_comparison",
    "decisions.change_comparison",
    "decisions.view_comparison",
    # Proposed by editors, published by reviewers: they change what a search finds.
    "search.add_synonym",
    "search.change_synonym",
    "search.view_synonym",
    "search.add_bestbet",
    "search.change_bestbet",
    "search.view_bestbet",
    # The report of searches that found little, to propose synonyms and best bets from.
    "search.view_missedsearch",
}
REVIEWER = EDITOR | {
    "editorial.publish_pendingchange",
    "articles.publish_article",
    "articles.review_article",
    "faqs.publish_question",
    "faqs.review_question",
    "images.publish_image",
    "images.review_image",
}


def permissions(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_content_editor_has_exactly_these_permissions():
    assert permissions("Content editor") == EDITOR


def test_clinical_reviewer_has_exactly_these_permissions():
    assert permissions("Clinical reviewer") == REVIEWER


def test_the_users_get_them(editor, reviewer):
    assert editor.has_perm("articles.change_article")
    assert not editor.has_perm("articles.publish_article")
    assert not editor.has_perm("articles.delete_article")
    assert reviewer.has_perm("faqs.publish_question")
    assert reviewer.has_perm("articles.review_article")


def test_editor_can_reach_every_editing_page(editor_client):
    for url in [
        "/admin/articles/article/add/",
        "/admin/faqs/question/add/",
        "/admin/citations/claim/add/",
        "/admin/citations/source/add/",
        "/admin/glossary/term/add/",
        "/admin/clinics/contactblock/add/",
        "/admin/review-dashboard/",
        "/admin/pages/page/add/",
        "/admin/editorial/pendingchange/",
        "/admin/audit/",
    ]:
        assert editor_client.get(url).status_code == 200, url
