"""Database functions the ORM lacks, for SQLite and PostgreSQL alike.

``json_rows()`` puts the rows of a related query into one column of the outer query, as a JSON
list, so that a page gets a short list from another table (an article's FAQ questions, the
pages that use a claim) without a query of its own.
"""

from __future__ import annotations

from django.db.models import Aggregate, JSONField, Subquery, Value
from django.db.models.functions import JSONObject


class JSONList(Aggregate):
    """The values of a group as one JSON list (SQLite: json_group_array; PostgreSQL: jsonb_agg)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(queryset, **fields) -> Subquery:
    """A subquery giving the rows of ``queryset`` (usually filtered on an ``OuterRef``) as one
    JSON list of objects with ``fields`` (name=expression), in no particular order; [] when
    there are none. Sort them in Python."""
    rows = (
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(_rows=JSONList(JSONObject(**fields)))
        .values("_rows")
    )
    return Subquery(rows, output_field=JSONField())
