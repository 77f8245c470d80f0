from django.conf import settings
from django.urls import reverse
from django.views.generic import ListView

from ketamine_info import structured_data
from ketamine_info.editorial.previews import proposed_all
from ketamine_info.meta import PageMeta, PageMetaMixin
from ketamine_info.topics import Topic

from .models import Question, in_topic_order


class QuestionListView(PageMetaMixin, ListView):
    template_name = "faqs/question_list.html"
    context_object_name = "questions"

    def get_meta(self):
        return PageMeta(
            title="Questions and answers",
            description="Plain, sourced answers to the questions people ask about ketamine "
            "treatment for depression: speed, sessions, driving, safety and cost.",
            breadcrumbs=[("Questions and answers", reverse("faqs:list"))],
        )

    def get_queryset(self):
        # With the reviewer, whose name each answer shows; the page shows the stored HTML,
        # not the Markdown.
        questions = (
            Question.objects.published()
            .in_language()
            .select_related("reviewed_by", "translation_of")
            .defer("body")
        )
        # In a reviewer's preview of a change, the answers as the change would leave them.
        return in_topic_order(proposed_all(self.request, questions, Question))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = context["questions"]
        context["groups"] = [
            {"topic": topic, "questions": [q for q in questions if q.topic == topic.value]}
            for topic in Topic
            if any(q.topic == topic.value for q in questions)
        ]
        context["faq_json_ld"] = structured_data.faq_page(
            questions, settings.SITE_URL + reverse("faqs:list")
        )
        return context
