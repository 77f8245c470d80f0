import datetime as dt

from django import template

register = template.Library()


@register.filter
def duration_words(value: dt.timedelta) -> str:
    """A timedelta in words, to the minute: '1 hour', '1 hour 30 minutes', '15 minutes'."""
    minutes = round(value.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not parts:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
