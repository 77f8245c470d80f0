"""Smaller faults staff met in the admin, each checked as they met it."""

import pytest
from django.contrib.auth.models import Group

from ketamine_info.figures.models import Figure
from tests.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_citation_counts_do_not_change_when_searching(staff_client):
    claim = CitationFactory(claim__key="bladder-risk", claim__statement="Bladder harm.").claim
    for n in range(2):
        CitationFactory(claim=claim, source=SourceFactory(title=f"Bladder study {n}"))
    plain = staff_client.get("/admin/citations/claim/").content.decode()
    searched = staff_client.get("/admin/citations/claim/?q=bladder").content.decode()
    cell = '<td class="field-citation_count">3</td>'
    assert cell in plain and cell in searched


def test_the_figure_help_text_shows_the_marker_whole(staff_client):
    figure = Figure.objects.create(key="routes", title="Ways it is given")
    html = staff_client.get(f"/admin/figures/figure/{figure.pk}/change/").content.decode()
    assert "[[figure routes]]" in html and "[[figure ]]" not in html


def test_the_writing_help_documents_figures_and_icon_arrays(staff_client):
    html = staff_client.get("/admin/articles/article/add/").content.decode()
    assert "[[figure routes]]" in html and "[[icons 29:" in html


def test_the_role_is_chosen_when_an_account_is_made(staff_client):
    form = staff_client.get("/admin/auth/user/add/").content.decode()
    assert 'name="groups"' in form and 'name="is_staff"' in form
    editor = Group.objects.get(name="Content editor")
    response = staff_client.post(
        "/admin/auth/user/add/",
        {
            "username": "newperson",
            "usable_password": "true",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
            "is_staff": "on",
            "groups": [editor.pk],
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.get(username="newperson")
    assert person.is_staff and list(person.groups.all()) == [editor]


def test_the_login_form_says_who_needs_the_code(client):
    html = client.get("/admin/login/").content.decode()
    assert "Clinical reviewers and administrators: you will be asked for the code" in html
