"""Large answers streamed: every recorded value of the plan's indicators as CSV, one row per
value and vintage, written while the rows are read (one query with its related rows
joined, read in chunks), so the answer's size never sits in memory at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse

from innesto.portal.api.endpoints import api
from innesto.portal.plans.models import IndicatorValue

COLUMNS = ["edition", "indicator", "period", "value", "provisional", "published",
           "superseded", "source"]
CHUNK = 2000


def _rows(edition: str | None) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    qs = IndicatorValue.objects.select_related("indicator__edition").order_by(
        "indicator__edition__year", "indicator__slug", "period", "recorded_at")
    if edition:
        qs = qs.filter(indicator__edition__slug=edition)
    for n, v in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        writer.writerow([v.indicator.edition.slug, v.indicator.slug, v.period,
                         "" if v.value is None else repr(v.value), int(v.provisional),
                         v.recorded_at.isoformat(),
                         v.superseded_at.isoformat() if v.superseded_at else "",
                         v.source or v.indicator.source_en or v.indicator.source_it])
        if n % 200 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


@api.get("/values.csv", tags=["indicators"], summary="Every indicator value, streamed as CSV",
         openapi_extra={"responses": {200: {
             "description": "CSV: " + ", ".join(COLUMNS),
             "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def values_csv(request: HttpRequest, edition: str | None = None) -> StreamingHttpResponse:
    """Every value of every indicator (or of one ``edition``) with its vintage: when the
    portal recorded it (``published``) and when a revision replaced it (``superseded``)."""
    resp = StreamingHttpResponse(_rows(edition), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="values.csv"'
    return resp
