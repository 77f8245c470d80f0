from django.shortcuts import get_object_or_404

from ketamine_info.editorial.previews import StaffPreviewMixin

from .models import Question, in_topic_order
from .views import QuestionListView


class QuestionPreviewView(StaffPreviewMixin, QuestionListView):
    """The FAQ page as patients would see it with this question published."""

    model = Question

    def get_queryset(self):
        self.question = get_object_or_404(Question, slug=self.kwargs["slug"])
        questions = [q for q in Question.objects.published() if q.pk != self.question.pk]
        return in_topic_order([*questions, self.question])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = self.preview_of(self.question)
        return context
