"""Contact-block phone numbers: what django-phonenumber-field leaves to this project.

The library does the rest: it parses what staff type ("(503) 555-0123", "503.555.0123",
"+1 503 555 0123") in the region of ``PHONENUMBER_DEFAULT_REGION``, stores it in E.164
(+15035550123), hands templates, JSON-LD and content files a ``PhoneNumber`` (``as_e164``), and
shows it in the admin's form in national format. This module adds only:

- **One clear message per problem**, naming what was typed: not a number at all; a wrong area
  code or number of digits; a short service number (911, 988, 411: the crisis box on every page
  already gives the emergency and crisis lines, and a contact block is the clinic's own line);
  an extension. The library has one message for all of them.
- **No extensions.** The library accepts "(503) 555-0123 ext. 12" and stores +15035550123: a
  patient's phone would dial the main line with no sign of the extension. Refused instead.
- **How patients read a number** (``display``): national format for a number in this country,
  international for any other; the library formats every number one way.
- **The model and form fields** that put those checks in place of the library's own.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from phonenumber_field import formfields, modelfields, widgets
from phonenumber_field.phonenumber import PhoneNumber, to_python
from phonenumbers import shortnumberinfo

# 911, 988, 411, 112: longer "short numbers" are SMS codes, more likely a number typed too short.
SERVICE_NUMBER_DIGITS = 4


def region() -> str:
    """Numbers written without + and a country code are read as numbers of this country."""
    return settings.PHONENUMBER_DEFAULT_REGION


def validate_dialable(value) -> None:
    """A number a patient's phone can dial from a link, or ValidationError saying what is
    wrong with it. Empty values pass (the field's ``blank`` decides)."""
    number = to_python(value, region=region())
    if not isinstance(number, PhoneNumber):
        return
    typed = number.raw_input or str(value)
    if number.national_number is None:  # the library could not read it as a number at all
        raise ValidationError(
            "“%(value)s” is not a phone number. Write it with its area code, e.g. "
            "(503) 555-0123, or with + and the country code.",
            code="invalid_phone",
            params={"value": typed},
        )
    if (
        not number.is_valid()
        and len(str(number.national_number)) <= SERVICE_NUMBER_DIGITS
        and shortnumberinfo.is_valid_short_number(number)
    ):
        raise ValidationError(
            "“%(value)s” is a short service number, not the clinic's own line. The crisis box "
            "at the top of every page already gives the emergency and crisis numbers; give "
            "the clinic's number with its area code, e.g. (503) 555-0123.",
            code="short_number",
            params={"value": typed},
        )
    if number.extension:
        raise ValidationError(
            "Leave out the extension (“%(extension)s”): a phone cannot dial it from a link.",
            code="phone_extension",
            params={"extension": number.extension},
        )
    if not number.is_valid():
        raise ValidationError(
            "“%(value)s” is not a valid phone number: check the area code and the number of "
            "digits.",
            code="invalid_phone",
            params={"value": typed},
        )


def normalize(value: str) -> str:
    """``value`` in E.164, or ValidationError saying what is wrong with it."""
    validate_dialable(value)
    number = to_python(value, region=region())
    if not isinstance(number, PhoneNumber):
        raise ValidationError("Give a phone number.", code="invalid_phone")
    return number.as_e164


def display(number: PhoneNumber | str) -> str:
    """How patients read the number: (503) 555-0123 at home, +44 20 7946 0123 abroad."""
    number = to_python(number, region=region()) if number else number
    if not isinstance(number, PhoneNumber):
        return ""
    if not number.is_valid():
        return number.raw_input or ""
    national = phonenumbers.region_code_for_number(number) == region()
    return number.as_national if national else number.as_international


class AdminPhoneNumberWidget(widgets.RegionalPhoneNumberWidget):
    """The library's dial-pad input (national format at home) with the admin's text style: the
    admin would otherwise give every CharField its plain text input."""

    def __init__(self, region=None, attrs=None):
        super().__init__(region, {"class": "vTextField", **(attrs or {})})


class PhoneNumberFormField(formfields.PhoneNumberField):
    default_validators = [validate_dialable]


class PhoneNumberField(modelfields.PhoneNumberField):
    """django-phonenumber-field's field, checked by ``validate_dialable`` (in the admin's form
    and in ``full_clean``, so in the content loader too) instead of the library's one check."""

    default_validators = [validate_dialable]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneNumberFormField, **kwargs})
