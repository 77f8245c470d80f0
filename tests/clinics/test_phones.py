"""Phone numbers: any common way of typing one gives the same E.164 number."""

import pytest
from django.core.exceptions import ValidationError

from ketamine_info.clinics import phones
from ketamine_info.clinics.models import ContactBlock


@pytest.mark.parametrize(
    "typed",
    ["(503) 555-0123", "503-555-0123", "503.555.0123", "5035550123", "+1 (503) 555-0123",
     "1-503-555-0123", " +15035550123 "],
)  # fmt: skip
def test_common_ways_of_writing_a_us_number_are_stored_in_e164(typed):
    assert phones.normalize(typed.strip()) == "+15035550123"


def test_a_number_abroad_needs_its_country_code():
    assert phones.normalize("+44 20 7946 0123") == "+442079460123"
    assert phones.display("+442079460123") == "+44 20 7946 0123"
    assert phones.display("+15035550123") == "(503) 555-0123"


@pytest.mark.parametrize("typed", ["", "call us", "911", "(555) 010-0123", "+1 503 555 01234"])
def test_numbers_that_cannot_be_dialled_are_refused(typed):
    with pytest.raises(ValidationError):
        phones.normalize(typed)


@pytest.mark.django_db
def test_full_clean_normalizes_a_number_longer_than_its_stored_form():
    block = ContactBlock(
        key="k", name="n", clinic_name="c", heading="h", placement="footer",
        phone="+1 (503) 555-0123", sms_phone="",
    )  # fmt: skip
    block.full_clean()
    assert block.phone == "+15035550123"
    assert block.sms_phone == ""
