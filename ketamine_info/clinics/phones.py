"""Telephone numbers: checked and stored in E.164 (+15035550123), shown in national format.

Staff may type a number any common way, "(503) 555-0123", "503.555.0123" or "+1 503 555 0123";
it is stored once, in E.164, so ``tel:`` and ``sms:`` links work on every phone.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models

# Numbers written without a + and a country code are read as numbers in this country.
DEFAULT_REGION = "US"


def normalize(value: str, region: str = DEFAULT_REGION) -> str:
    """``value`` in E.164, or ValidationError saying what is wrong with it."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "“%(value)s” is not a phone number. Write it with its area code, e.g. "
            "(503) 555-0123, or with + and the country code.",
            code="invalid_phone",
            params={"value": value},
        ) from exc
    if number.extension:
        raise ValidationError(
            "Leave out the extension (“%(extension)s”): a phone cannot dial it from a link.",
            code="phone_extension",
            params={"extension": number.extension},
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "“%(value)s” is not a valid phone number: check the area code and the number of "
            "digits.",
            code="invalid_phone",
            params={"value": value},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """How patients read the number: (503) 555-0123 at home, +44 20 7946 0123 abroad."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    national = phonenumbers.region_code_for_number(number) == DEFAULT_REGION
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if national
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


class PhoneNumberField(models.CharField):
    """A CharField whose model validation normalizes the number to E.164.

    Normalization happens in ``clean()`` (run by ``full_clean()``, so by the admin and the
    content loader), before the length check, so a number typed with spaces and brackets fits.
    """

    description = "Telephone number, stored in E.164 form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def clean(self, value, model_instance):
        if value:
            value = normalize(value.strip())
        return super().clean(value, model_instance)
