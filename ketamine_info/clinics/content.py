"""content/clinics/<key>.yaml: one contact block, with its address, hours and articles."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from ketamine_info.articles.models import Article
from ketamine_info.contentsync.fileformat import (
    CanonicalDumper,
    ContentError,
    dump_yaml,
    load_yaml,
)
from ketamine_info.contentsync.kinds import ContentKind, FieldSpec, validation_problem

from . import phones
from .models import ContactBlock, Day, OpeningHours, Placement

ADDRESS_FIELDS = {  # file name: model attribute
    "street": "street_address",
    "locality": "locality",
    "region": "region",
    "postal_code": "postal_code",
    "country": "country",
}
HOURS_FIELDS = ("day", "opens", "closes")
DAY_NAMES = {day.label.lower(): day for day in Day}
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PHONE_FIELDS = ("phone", "sms_phone")

# The order of the fields in a file.
FILE_ORDER = (
    "name",
    "clinic_name",
    "heading",
    "body",
    "phone",
    "sms_phone",
    "email",
    "address",
    "hours",
    "booking_url",
    "placement",
    "articles",
    "active",
    "show_from",
    "show_until",
    "position",
)


class _Time(str):
    """A time of day in a file, always quoted: unquoted, YAML reads 17:00 as the number 1020."""


CanonicalDumper.add_representer(
    _Time, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, "'")
)


class ClinicKind(ContentKind):
    name = "clinics"
    model = ContactBlock
    load_order = 90  # after the articles a block may name
    covers = ("clinics.OpeningHours",)
    # The plain fields; address, hours and articles are read and written below.
    fields = (
        FieldSpec("name"),
        FieldSpec("clinic_name"),
        FieldSpec("heading"),
        FieldSpec("body", required=False),
        FieldSpec("phone"),
        FieldSpec("sms_phone", required=False),
        FieldSpec("email", required=False),
        FieldSpec("booking_url", required=False),
        FieldSpec("placement"),
        FieldSpec("active", "bool"),
        FieldSpec("show_from", "date", required=False),
        FieldSpec("show_until", "date", required=False),
        FieldSpec("position", "int"),
    )

    # --- files ---------------------------------------------------------------------------

    def read(self, path: Path, text: str) -> dict:
        raw = load_yaml(text, path)
        unknown = sorted(str(k) for k in raw if k not in FILE_ORDER)
        if unknown:
            raise ContentError(
                path,
                f"unknown field {', '.join(repr(u) for u in unknown)} "
                f"(allowed: {', '.join(FILE_ORDER)})",
            )
        address = raw.pop("address", None)
        hours = raw.pop("hours", None)
        articles = raw.pop("articles", None)
        for field in PHONE_FIELDS:
            if isinstance(raw.get(field), int) and not isinstance(raw[field], bool):
                raise ContentError(path, f"write '{field}' in quotes, e.g. {field}: '+15035550123'")
        data = self.check_fields(raw, path)
        if "body" in data:
            data["body"] = data["body"].strip()
        for field in PHONE_FIELDS:
            if field in data:
                data[field] = self._e164(data[field], field, path)
        if data["placement"] not in Placement.values:
            raise ContentError(
                path,
                f"'placement' must be one of {', '.join(Placement.values)}, "
                f"not {data['placement']!r}",
            )
        if address:
            data["address"] = self._read_address(address, path)
        if hours:
            data["hours"] = self._read_hours(hours, path)
        if articles:
            if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
                raise ContentError(path, "'articles' must be a list of article slugs")
            if data["placement"] != Placement.ARTICLE_END:
                raise ContentError(path, "'articles' can only be given with placement: article_end")
            data["articles"] = sorted(set(articles))
        return data

    @staticmethod
    def _e164(value: str, field: str, path: Path) -> str:
        try:
            e164 = phones.normalize(value)
        except ValidationError as exc:
            raise ContentError(path, f"{field}: {' '.join(exc.messages)}") from exc
        if e164 != value:
            raise ContentError(path, f"write '{field}' in E.164 form: '{e164}', not {value!r}")
        return value

    @staticmethod
    def _read_address(address, path: Path) -> dict:
        if not isinstance(address, dict):
            raise ContentError(path, "'address' must be a mapping of street, locality, …")
        unknown = sorted(str(k) for k in address if k not in ADDRESS_FIELDS)
        if unknown:
            raise ContentError(
                path,
                f"address: unknown field {', '.join(repr(u) for u in unknown)} "
                f"(allowed: {', '.join(ADDRESS_FIELDS)})",
            )
        for key, value in address.items():
            if not isinstance(value, str):
                raise ContentError(path, f"address: '{key}' must be text, not {value!r}")
        # The country defaults to US; written out, so the file says what the page shows.
        result = {key: address[key] for key in ADDRESS_FIELDS if address.get(key)}
        result.setdefault("country", "US")
        return result

    @staticmethod
    def _read_hours(hours, path: Path) -> list[dict]:
        if not isinstance(hours, list):
            raise ContentError(path, "'hours' must be a list of {day, opens, closes}")
        result = []
        for number, entry in enumerate(hours, start=1):
            where = f"hours, entry {number}"
            if not isinstance(entry, dict) or set(entry) != set(HOURS_FIELDS):
                raise ContentError(path, f"{where}: give exactly day, opens and closes")
            if entry["day"] not in DAY_NAMES:
                raise ContentError(
                    path,
                    f"{where}: 'day' must be one of {', '.join(DAY_NAMES)}, not {entry['day']!r}",
                )
            for field in ("opens", "closes"):
                value = entry[field]
                if not isinstance(value, str) or not TIME_RE.match(value):
                    raise ContentError(
                        path,
                        f"{where}: write '{field}' as a quoted 24-hour time, "
                        f"e.g. {field}: '09:00' (got {value!r})",
                    )
            result.append({field: entry[field] for field in HOURS_FIELDS})
        return result

    def dump(self, data: dict) -> str:
        out = {}
        for name in FILE_ORDER:
            value = data.get(name)
            if value is None or value == "" or value == [] or value == {}:
                continue
            if name == "hours":
                value = [
                    {"day": h["day"], "opens": _Time(h["opens"]), "closes": _Time(h["closes"])}
                    for h in value
                ]
            out[name] = value
        return dump_yaml(out)

    # --- database ------------------------------------------------------------------------

    def queryset(self):
        return ContactBlock.objects.prefetch_related(
            "hours", Prefetch("articles", queryset=Article.objects.only("slug"))
        )

    def from_db(self, obj) -> dict:
        data = super().from_db(obj)
        for field in PHONE_FIELDS:
            if field in data:  # a PhoneNumber: written as the text it is stored as
                data[field] = data[field].as_e164
        if obj.has_address:
            data["address"] = {
                key: getattr(obj, attr)
                for key, attr in ADDRESS_FIELDS.items()
                if getattr(obj, attr)
            }
        hours = [
            {
                "day": h.get_day_display().lower(),
                "opens": f"{h.opens:%H:%M}",
                "closes": f"{h.closes:%H:%M}",
            }
            for h in obj.hours.all()
        ]
        if hours:
            data["hours"] = hours
        articles = sorted(a.slug for a in obj.articles.all())
        if articles:
            data["articles"] = articles
        return data

    def fill(self, key: str, data: dict, obj, path: Path):
        obj = obj or ContactBlock(key=key)
        for spec in self.fields:
            value = data.get(spec.name)
            if value is None:
                value = None if obj._meta.get_field(spec.name).null else ""
            setattr(obj, spec.name, value)
        address = data.get("address", {})
        for key_in_file, attr in ADDRESS_FIELDS.items():
            setattr(obj, attr, address.get(key_in_file, "US" if attr == "country" else ""))
        return obj

    def _hours(self, data: dict, block, path: Path) -> list[OpeningHours]:
        rows = []
        for entry in data.get("hours", []):
            hours = OpeningHours(
                block=block,
                day=DAY_NAMES[entry["day"]],
                opens=dt.time.fromisoformat(entry["opens"]),
                closes=dt.time.fromisoformat(entry["closes"]),
            )
            try:
                hours.full_clean(exclude=["block"])  # the block may not be saved yet
            except ValidationError as exc:
                raise ContentError(path, validation_problem(exc)) from exc
            rows.append(hours)
        return rows

    @staticmethod
    def _articles(data: dict, path: Path) -> list[Article]:
        slugs = data.get("articles", [])
        articles = list(Article.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {a.slug for a in articles})
        if missing:
            raise ContentError(
                path, f"unknown article slug {', '.join(repr(s) for s in missing)} in 'articles'"
            )
        return articles

    def save(self, key: str, data: dict, obj, path: Path, *, reason: str = ""):
        obj = self.fill(key, data, obj, path)
        self.full_clean(obj, path)
        hours = self._hours(data, obj, path)
        articles = self._articles(data, path)
        obj._change_reason = reason or f"Loaded from {self.name}/{path.name}"
        obj.save()
        obj.hours.all().delete()
        for row in hours:
            row.block = obj
            row.save()
        obj.articles.set(articles)
        return obj

    def proposal(self, key: str, data: dict, obj, path: Path) -> dict:
        """The file as a pending change, its hours and articles included (a review covers
        them: editorial/review.py)."""
        values = super().proposal(key, data, obj, path)
        hours = self._hours(data, None, path)
        values["hours"] = sorted(
            (
                {"day": int(h.day), "opens": f"{h.opens:%H:%M}", "closes": f"{h.closes:%H:%M}"}
                for h in hours
            ),
            key=lambda row: (row["day"], row["opens"]),
        )
        values["articles"] = sorted(a.pk for a in self._articles(data, path))
        return values


KINDS = [ClinicKind]
