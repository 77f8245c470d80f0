"""How many reports one address may send, without keeping the address.

A reader's address becomes a keyed hash (HMAC with the site's secret key) of itself and today's
date: the same address gives the same value all day, so its reports in the last hour can be
counted, but the value cannot be turned back into the address or matched across days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from ketamine_info.editorial.login import client_ip

from .models import Report


def sender_of(request) -> str:
    day = timezone.now().date().isoformat()
    message = f"{day}|{client_ip(request) or ''}".encode()
    key = f"feedback-sender:{settings.SECRET_KEY}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def too_many(sender: str) -> bool:
    """True once this address, or the whole site, has sent the hour's allowance."""
    since = timezone.now() - dt.timedelta(hours=1)
    recent = Report.objects.filter(created__gte=since)
    if recent.filter(sender=sender).count() >= settings.FEEDBACK_PER_ADDRESS_PER_HOUR:
        return True
    # However many addresses send, the table grows by a bounded amount.
    return recent.count() >= settings.FEEDBACK_PER_HOUR
