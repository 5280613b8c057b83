"""The site's identity comes from the loaded plan's ``site.yaml``, not from code."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.portal.conftest import TORINO


def test_pages_show_the_plans_organisation_title_colours_and_credit(torino_plan: Any,
                                                                   client: Client) -> None:
    import yaml

    site = yaml.safe_load((TORINO / "site.yaml").read_text(encoding="utf-8"))
    for lang in ("it", "en"):
        html = client.get(f"/{lang}/").content.decode().replace("&#x27;", "'")
        assert f"<h1>{site['title'][lang]}</h1>" in html
        assert f"· {site['organisation'][lang]}</title>" in html
        assert f"--accent: {site['colours']['accent']};" in html
        assert site["data_credit"][lang].split(":")[0] in html


def test_a_plan_without_site_file_gets_a_neutral_identity(tiny_plan: Any,
                                                          client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert f"<h1>{tiny_plan.title.get('en')}</h1>" in html
    assert "Torino" not in html


@pytest.mark.django_db
def test_reloading_a_folder_without_site_file_keeps_the_identity(tmp_path: Path,
                                                                 client: Client) -> None:
    from innesto.portal.plans.adapter import load_into_database
    from innesto.portal.site import identity

    load_into_database(TORINO)
    copy = tmp_path / "plan"
    shutil.copytree(TORINO, copy)
    (copy / "site.yaml").unlink()
    load_into_database(copy)
    assert identity.current().regions is not None
    assert identity.current().mail_sender == identity.mail_sender()


def test_the_mail_sender_is_the_sites_unless_the_environment_sets_one(
        torino_plan: Any, settings: Any) -> None:
    from innesto.portal.site import identity

    settings.DEFAULT_FROM_EMAIL_FROM_ENV = False
    assert identity.mail_sender() == identity.current().mail_sender
    settings.DEFAULT_FROM_EMAIL_FROM_ENV = True
    settings.DEFAULT_FROM_EMAIL = "Office <office@example.org>"
    assert identity.mail_sender() == "Office <office@example.org>"
