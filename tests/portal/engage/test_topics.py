"""Follow a topic: an axis, a sector or an indicator of any edition has its list; a
"Follow" link preselects it; double opt-in, the newsletter to that topic and one-click
unsubscribe work per topic on a real SMTP server; contact topics cover every edition."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from innesto.portal.engage import sender
from innesto.portal.engage.lists import slug_for, sync_lists
from innesto.portal.engage.models import MailingList, Newsletter, Subscription
from innesto.portal.plans.models import Edition, Indicator, Node, Sector
from tests.portal.engage.helpers import csrf_client, link_path, subscribe_data
from tests.portal.engage.smtp import text_part

ADDRESS = "follower@example.org"


def test_every_edition_has_its_axes_indicators_and_sectors(torino_plan: Any) -> None:
    sync_lists()
    editions = list(Edition.objects.all())
    assert len(editions) == 3  # the Torino example: 2000, 2006, 2015
    for ed in editions:
        for axis in Node.objects.filter(edition=ed, parent=None):
            assert MailingList.objects.get(slug=slug_for(axis)).ref == f"{ed.slug}/{axis.key}"
        for ind in Indicator.objects.filter(edition=ed):
            assert MailingList.objects.filter(slug=slug_for(ind), kind="indicator").exists()
    for sector in Sector.objects.all():
        assert MailingList.objects.filter(slug=slug_for(sector), kind="sector").exists()
    assert sync_lists() == 0  # idempotent


def test_a_list_made_before_editions_keeps_its_subscribers(torino_plan: Any) -> None:
    newest = Edition.objects.order_by("-year").first()
    axis = Node.objects.filter(edition=newest, parent=None).first()
    assert axis is not None
    old = MailingList.objects.create(slug=f"axis-{axis.key}"[:50], kind="axis", ref=axis.key,
                                     name_it="x", name_en="x")
    sync_lists()
    old.refresh_from_db()
    assert old.slug == slug_for(axis) and old.ref == f"{newest.slug}/{axis.key}"


def test_follow_links_preselect_the_topic(torino_plan: Any, client: Client) -> None:
    sector = Sector.objects.get(slug="ict")
    page = client.get("/en/sectors/ict/").content.decode()
    assert f"/en/subscribe/?list={slug_for(sector)}" in page
    form = client.get(f"/en/subscribe/?list={slug_for(sector)}").content.decode()
    sid = MailingList.objects.get(slug=slug_for(sector)).pk
    chunk = form.split(f'value="{sid}"', 1)[1].split(">", 1)[0]
    assert "checked" in chunk  # the followed list is ticked
    assert "Sector: ICT" in form and "Indicator: " in form


def test_a_sector_newsletter_reaches_its_subscribers_only(torino_plan: Any,
                                                          smtp_server: Any) -> None:
    sync_lists()
    sector = MailingList.objects.get(slug=slug_for(Sector.objects.get(slug="ict")))
    other = MailingList.objects.get(slug=slug_for(Sector.objects.get(slug="finance")))
    browser = Client(REMOTE_ADDR="203.0.113.9")
    assert browser.post("/en/subscribe/", subscribe_data(ADDRESS, sector)).status_code == 302
    browser_b = Client(REMOTE_ADDR="203.0.113.10")
    browser_b.post("/en/subscribe/", subscribe_data("other@example.org", other))
    [confirmation] = smtp_server.to(ADDRESS)
    assert browser.post(link_path(text_part(confirmation), "/en/")).status_code == 200
    assert Subscription.objects.get(mailing_list=sector).status == "active"

    news = Newsletter.objects.create(mailing_list=sector, subject_it="ICT oggi",
                                     subject_en="ICT today", body_it="Corpo.", body_en="Body.")
    assert sender.queue(news) == 1  # the unconfirmed finance subscriber gets nothing
    assert sender.run(batch_size=10) == {"sent": 1}
    [_, letter] = smtp_server.to(ADDRESS)
    assert letter["Subject"] == "ICT today" and "Body." in text_part(letter)
    assert len(smtp_server.to("other@example.org")) == 1  # only their confirmation

    # One-click unsubscribe from this topic.
    url = str(letter["List-Unsubscribe"]).strip()[1:-1]
    done = csrf_client().post(link_path(url, "/en/"), "List-Unsubscribe=One-Click",
                              content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    assert Subscription.objects.get(mailing_list=sector).status == "unsubscribed"


@pytest.mark.parametrize("year", [2000, 2006, 2015])
def test_contact_topics_come_from_every_edition(torino_plan: Any, year: int) -> None:
    from innesto.portal.engage.routing import route, topics

    node = Node.objects.filter(edition__year=year, parent=None).first()
    assert node is not None
    keys = dict(topics())
    assert f"node:{node.pk}" in keys and keys[f"node:{node.pk}"].startswith(str(year))
    assert route(f"node:{node.pk}").label == f"{year} {node.title}"
