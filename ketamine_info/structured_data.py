"""schema.org JSON-LD: builders for each page type, and safe embedding in a <script> element."""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from ketamine_info.markup import html_to_text

# Escaped so that nothing staff type (a "</script>" in a title, say) can end the element early.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, indent=None).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def faq_page(questions, url: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": url,
        "mainEntity": [
            {
                "@type": "Question",
                "name": q.question,
                "url": f"{url}#{q.slug}",
                "acceptedAnswer": {"@type": "Answer", "text": html_to_text(q.body_html)},
            }
            for q in questions
        ],
    }
