"""Plan pages: the editions, an edition, a node (axis, objective, project), an indicator,
a media attachment. Every page is server-rendered; charts enhance progressively."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from innesto.portal.plans import board, presenters
from innesto.portal.plans.models import Edition, Indicator, IndicatorValue, Media, Node
from innesto.portal.site import freshness
from innesto.portal.site.cache import cached


@cached
def index(request: HttpRequest) -> HttpResponse:
    editions = Edition.objects.all()
    return render(request, "plans/index.html", {"editions": editions, "nav": "plans"})


@cached
def edition(request: HttpRequest, edition: str) -> HttpResponse:
    ed = get_object_or_404(Edition, slug=edition)
    roots = ed.nodes.filter(parent=None).prefetch_related("children")
    return render(request, "plans/edition.html", {
        **board.context(ed, request.GET),
        "fresh": freshness.of_values(IndicatorValue.objects.filter(indicator__edition=ed)),
        "edition": ed,
        "roots": roots,
        "indicators": ed.indicators.all(),
        "sectors": presenters.edition_sectors(ed),
        "media": ed.media.all(),
        "next_editions": ed.next_editions.all(),
        "nav": "edition",
    })


@cached
def node(request: HttpRequest, edition: str, path: str) -> HttpResponse:
    ed = get_object_or_404(Edition, slug=edition)
    obj = Node.objects.filter(edition=ed, path=path.strip("/")).first()
    if obj is None:  # a moved node keeps its id: find it by the last segment
        obj = Node.objects.filter(edition=ed, key=path.strip("/").split("/")[-1]).first()
        if obj is None:
            raise Http404("no such node")
        from django.shortcuts import redirect

        return redirect("plans:node", ed.slug, obj.path, permanent=True)
    ctx = presenters.node_context(obj, request.GET.get("tab", ""))
    ctx["nav"] = "featured" if obj.parent is None and ctx.get("is_featured") else "edition"
    return render(request, "plans/node.html", ctx)


@cached
def indicator(request: HttpRequest, edition: str, slug: str) -> HttpResponse:
    ind = get_object_or_404(Indicator.objects.select_related("edition", "node"),
                            edition__slug=edition, slug=slug)
    ctx = presenters.indicator_context(ind, request.GET.get("as_of", ""))
    return render(request, "plans/indicator.html", ctx)


@cached
def media(request: HttpRequest, edition: str, slug: str) -> HttpResponse:
    obj = get_object_or_404(Media, edition__slug=edition, slug=slug)
    return render(request, "plans/media.html", {"media": obj, "edition": obj.edition})
