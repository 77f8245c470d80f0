"""schema.org ``MedicalClinic`` JSON-LD for a contact block, safe to embed whatever staff type."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

# Escaped so that nothing staff type (a "</script>" in a clinic name, say) can end the element.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def medical_clinic(block) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": block.clinic_name,
        "telephone": block.phone,
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
