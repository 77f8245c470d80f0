"""schema.org JSON-LD: builders for each page type, and safe embedding in a <script> element."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from ketamine_info.translations import ENGLISH, current_language

# Escaped so that nothing staff type (a "</script>" in a title, say) can end the element early.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


# The languages as schema.org's inLanguage and Open Graph's og:locale name them: US English and
# the Spanish of the US.
LOCALES = {"en": "en-US", "es": "es-US"}


def locale_of(language: str) -> str:
    return LOCALES.get(language, language)


def script(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, indent=None).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def faq_page(questions, url: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": url,
        "inLanguage": locale_of(current_language()),
        "mainEntity": [
            {
                "@type": "Question",
                "name": q.question,
                "url": f"{url}#{q.slug}",
                "acceptedAnswer": {"@type": "Answer", "text": q.body_text},
            }
            for q in questions
        ],
    }


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(path)}
            for i, (name, path) in enumerate(trail, start=1)
        ],
    }


def website() -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "inLanguage": locale_of(current_language()),
    }


def medical_web_page(article) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": absolute(article.get_absolute_url()),
        "inLanguage": locale_of(getattr(article, "language", ENGLISH)),
        "about": [
            {"@type": "Drug", "name": "Ketamine"},
            {"@type": "MedicalCondition", "name": "Depression"},
        ],
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute("/")},
    }
    english = getattr(article, "translation_of", None)
    if english is not None and english.is_live():
        data["translationOfWork"] = {
            "@type": "MedicalWebPage",
            "url": absolute(english.get_absolute_url()),
        }
    # The day the text last changed in substance, never the day the database was loaded.
    if getattr(article, "last_updated", None):
        data["dateModified"] = article.last_updated.isoformat()
    # A review is claimed only while the live text is the text that was reviewed.
    if getattr(article, "review_is_current", False):
        data["lastReviewed"] = article.last_reviewed.isoformat()
        reviewer = getattr(article, "reviewer_name", "")
        if reviewer:
            data["reviewedBy"] = {"@type": "Person", "name": reviewer}
    return data


def medical_clinic(block) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": block.clinic_name,
        "telephone": block.phone.as_e164,
        "url": block.booking_url or settings.SITE_URL + "/",
    }
    if block.email:
        data["email"] = block.email
    if block.has_address:
        address = {
            "@type": "PostalAddress",
            "streetAddress": block.street_address,
            "addressLocality": block.locality,
            "addressRegion": block.region,
            "postalCode": block.postal_code,
            "addressCountry": block.country,
        }
        data["address"] = {k: v for k, v in address.items() if v}
    hours = list(block.hours.all())
    if hours:
        data["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": h.get_day_display(),
                "opens": f"{h.opens:%H:%M}",
                "closes": f"{h.closes:%H:%M}",
            }
            for h in hours
        ]
    return data
