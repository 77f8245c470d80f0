from django.shortcuts import get_object_or_404
from django.utils import translation

from ketamine_info.editorial.previews import StaffPreviewMixin

from .models import Question, in_topic_order
from .views import QuestionListView


class QuestionPreviewView(StaffPreviewMixin, QuestionListView):
    """The FAQ page as patients would see it with this question published."""

    model = Question

    def get(self, request, *args, **kwargs):
        # A translation is previewed among the answers of its own language.
        found = Question.objects.filter(slug=kwargs["slug"]).values_list("language", flat=True)
        with translation.override(found.first() or "en"):
            return super().get(request, *args, **kwargs).render()

    def get_queryset(self):
        self.question = get_object_or_404(Question, slug=self.kwargs["slug"])
        language = self.question.language
        questions = [
            q
            for q in Question.objects.published().in_language(language)
            if q.pk != self.question.pk
        ]
        return in_topic_order([*questions, self.question])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = self.preview_of(self.question)
        return context
