"""Issue 14, newsletter preview injection: the preview put the text part in the page
unescaped, and the HTML part broke out of its ``srcdoc`` attribute, so a ``<meta
http-equiv=refresh>`` in a newsletter sent the administrator off-site. Now both parts are
escaped, the HTML part sits in a sandboxed iframe with its own policy and no refresh, and
the page's own policy lets no frame load another site."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from innesto.portal.engage.models import Newsletter
from tests.portal.engage.helpers import make_lists

pytestmark = pytest.mark.django_db
EVIL = ('</pre><meta http-equiv="refresh" content="0;url=https://evil.example/">'
        '"><script>alert(1)</script><img src=x onerror=alert(2)>')


def test_the_preview_cannot_inject_or_navigate() -> None:
    lists = make_lists()
    news = Newsletter.objects.create(mailing_list=lists["plan"], subject_it="S",
                                     subject_en="S", body_it=EVIL, body_en=EVIL)
    staff = User.objects.create(username="writer", is_staff=True)
    staff.groups.add(Group.objects.get(name="newsletter sender"))
    client = Client()
    client.force_login(staff)
    resp = client.get(reverse("admin:engage_newsletter_preview", args=[news.pk, "en"]))
    assert resp.status_code == 200
    page = resp.content.decode()
    # outside the iframe's attribute, nothing of the body is markup
    outside = re.sub(r'srcdoc="[^"]*"', 'srcdoc=""', page)
    assert "<script>alert" not in outside and "<meta http-equiv=\"refresh\"" not in outside
    assert "onerror=alert" not in outside.replace("&lt;img src=x onerror=alert(2)&gt;", "")
    [frame] = re.findall(r"<iframe[^>]*>", page)
    assert 'sandbox=""' in frame
    srcdoc = htmllib.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))  # type: ignore[union-attr]
    assert srcdoc.startswith('<meta http-equiv="Content-Security-Policy" '
                             "content=\"default-src 'none';")
    assert not re.search(r"<meta[^>]*refresh", srcdoc, re.I)  # the body is shown as text
    assert "frame-src 'self'" in resp["Content-Security-Policy"]


def test_a_refresh_in_the_mail_html_itself_is_removed() -> None:
    from innesto.portal.engage.admin import sandboxed

    raw = ('<html><head><META HTTP-EQUIV=Refresh CONTENT="0;url=https://evil.example/">'
           "<meta http-equiv='refresh' content='1'></head><body>Hi</body></html>")
    out = sandboxed(raw)
    assert "evil.example" not in out and "refresh" not in out.lower()
    assert out.endswith("<body>Hi</body></html>")
