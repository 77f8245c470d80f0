from django.shortcuts import get_object_or_404, redirect

from .models import Figure


def figure_redirect(request, key):
    """/figures/<key>/: to the article that shows the drawing (links from the source pages)."""
    return redirect(get_object_or_404(Figure, key=key).placement_url())
