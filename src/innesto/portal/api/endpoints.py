"""The read API: ``/api/`` (OpenAPI 3 at ``/api/openapi.json``, interactive docs at
``/api/docs`` with Swagger UI served from this site's static files).

Lists are paginated (``limit``/``offset``) and filterable; every GET carries an ``ETag``
(conditional requests get 304) and ``Access-Control-Allow-Origin: *``.
"""


from datetime import date, datetime, time

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Query
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from innesto.portal.api import schemas as s
from innesto.portal.plans.asof import BadDate, parse_day, plan_status
from innesto.portal.plans.models import Edition, Indicator, Node, Sector
from innesto.portal.sectors import evidence

api = NinjaAPI(
    title="innesto portal API",
    version="1",
    description=(
        "Read-only access to the strategic plan (editions, nodes, indicators with their "
        "bitemporal values), its sectors and the evidence measures behind the dashboards. "
        "The plan's content belongs to its publisher; every value carries its source."
    ),
    urls_namespace="api",
)


@api.get("/plans", response=list[s.EditionOut], tags=["plans"])
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest) -> list[Edition]:
    """Every edition of the plan, oldest first."""
    return list(Edition.objects.select_related("previous"))


@api.get("/plans/{edition}", response={200: s.EditionDetail, 404: s.Message}, tags=["plans"])
def get_plan(request: HttpRequest, edition: str) -> Edition:
    """One edition with its whole document (valid against the plan JSON Schema)."""
    return get_object_or_404(Edition.objects.select_related("previous"), slug=edition)


@api.get("/plans/{edition}/nodes", response={200: list[s.NodeOut], 404: s.Message}, tags=["plans"])
@paginate(LimitOffsetPagination)
def list_nodes(request: HttpRequest, edition: str,
               filters: Query[s.NodeFilter]) -> list[Node]:
    """The nodes of an edition in document order; filter by ``level``, ``parent``,
    ``status`` or a word in the title (``q``)."""
    get_object_or_404(Edition, slug=edition)
    qs = Node.objects.filter(edition__slug=edition).select_related("parent", "edition")
    if filters.level:
        qs = qs.filter(kind=filters.level)
    if filters.parent:
        qs = qs.filter(parent__key=filters.parent)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(title_it__icontains=filters.q) | qs.filter(title_en__icontains=filters.q)
    return list(qs.order_by("position"))


@api.get("/plans/{edition}/nodes/{node}", response={200: s.NodeDetail, 404: s.Message}, tags=["plans"])
def get_node(request: HttpRequest, edition: str, node: str) -> Node:
    return get_object_or_404(Node.objects.select_related("parent", "edition"),
                             edition__slug=edition, key=node)


@api.get("/indicators", response=list[s.IndicatorOut], tags=["indicators"])
@paginate(LimitOffsetPagination)
def list_indicators(request: HttpRequest, filters: Query[s.IndicatorFilter]) -> list[Indicator]:
    """Indicators of every edition; filter by ``edition``, ``sector`` or ``status``."""
    qs = Indicator.objects.select_related("edition", "node")
    if filters.edition:
        qs = qs.filter(edition__slug=filters.edition)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return list(qs)


@api.get("/indicators/{edition}/{indicator}",
         response={200: s.IndicatorDetail, 404: s.Message, 422: s.Message},
         tags=["indicators"])
def get_indicator(request: HttpRequest, edition: str, indicator: str,
                  as_of: str | None = None) -> Indicator:
    """An indicator, its values and its status as known on ``as_of`` (an ISO date from
    1900-01-01 to today; default: today). Anything else is answered with 422."""
    ind = get_object_or_404(Indicator.objects.select_related("edition", "node"),
                            edition__slug=edition, slug=indicator)
    when = None
    day = None
    if as_of is not None:
        try:
            day = parse_day(as_of)
        except BadDate as exc:
            raise HttpError(422, str(exc)) from None
        when = timezone.make_aware(datetime.combine(day, time.max),
                                   timezone.get_default_timezone())
        _status_as_of(ind, day)
    ind.api_values = [s.ValueOut.from_row(v) for v in ind.values_as_of(when)]  # type: ignore[attr-defined]
    ind.api_history = [s.ValueOut.from_row(v)  # type: ignore[attr-defined]
                       for v in ind.values.order_by("period", "recorded_at")]
    ind.api_as_of = day  # type: ignore[attr-defined]
    return ind


def _status_as_of(ind: Indicator, day: date) -> None:
    """Replace the stored (latest) status of ``ind`` with the library's as of ``day``."""
    st = plan_status(ind.edition.year, day)
    if st is None or ind.slug not in st.indicators:
        return
    i = st.indicators[ind.slug]
    ind.status = i.status
    ind.status_explanation_it = i.explanation.get("it")
    ind.status_explanation_en = i.explanation.get("en")


@api.get("/sectors", response=list[s.SectorOut], tags=["sectors"])
@paginate(LimitOffsetPagination)
def list_sectors(request: HttpRequest) -> list[Sector]:
    return list(Sector.objects.all())


@api.get("/sectors/{sector}", response={200: s.SectorOut, 404: s.Message}, tags=["sectors"])
def get_sector(request: HttpRequest, sector: str) -> Sector:
    return get_object_or_404(Sector, slug=sector)


@api.get("/measures/{sector}", response={200: s.MeasuresOut, 404: s.Message}, tags=["measures"],
         summary="Employment and location quotient of a sector in a region")
def measures(request: HttpRequest, sector: str, region: str | None = None,
             reference: str | None = None) -> s.MeasuresOut:
    """The sector's values (e.g. persons employed) and its location quotient against
    ``reference``, for ``region`` (a code of the site's dataset, e.g. a NUTS 2016 code), by
    year; by default the plan's focus region against its benchmark (``site.yaml``)."""
    obj = get_object_or_404(Sector, slug=sector)
    try:
        region = region or evidence.focus()
        reference = reference or evidence.benchmark()
        rows = evidence.region_measures(obj.industries, region, reference)
    except evidence.EvidenceUnavailable as exc:
        raise Http404(str(exc)) from None
    except KeyError:
        raise Http404(f"no data for region {region!r}") from None
    return s.MeasuresOut(sector=obj.slug, region=region, reference=reference,
                         industries=list(obj.industries),
                         source=evidence.site_regions().source or evidence.source(),
                         values=[s.MeasureRow(**r) for r in rows])
