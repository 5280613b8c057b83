"""The site file (``site.yaml``): validated, logo inlined, neutral identity without one."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from innesto.errors import PlanError
from innesto.plan.examples import tiny_planset
from innesto.plan.site import contrast, default_site, load_site

SITE = """\
organisation: {it: Agenzia, en: Agency}
city: {it: Città, en: City}
logo: logo.svg
colours: {accent: "#000000"}
regions:
  focus: {code: R1, name: {en: Here}}
  benchmark: {code: R, name: {en: Country}}
"""


def test_a_site_file_is_read_with_its_logo_inlined_and_the_plan_title(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    site = load_site(tmp_path, tiny_planset())
    assert site.organisation.get("en") == "Agency"
    assert site.title == tiny_planset().title
    kind, data = site.logo.split(",", 1)
    assert kind == "data:image/svg+xml;base64"
    assert base64.b64decode(data).startswith(b"<svg")
    assert site.regions is not None and site.regions.codes == ["R1", "R"]


def test_without_a_site_file_the_identity_is_the_plans_own() -> None:
    ps = tiny_planset()
    site = default_site(ps)
    assert site.organisation == (ps.owner or ps.title) and site.regions is None


@pytest.mark.parametrize("bad, words", [
    ('colours: {accent: "#ffff00"}', "contrast"),       # yellow on white: 1.07:1
    ("regions: {focus: {code: X}}", "regions.focus.name"),
    ("town: Somewhere", "town"),
])
def test_a_bad_site_file_names_the_file_and_the_field(tmp_path: Path, bad: str,
                                                      words: str) -> None:
    (tmp_path / "site.yaml").write_text(
        "organisation: {en: A}\ncity: {en: B}\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(PlanError) as exc:
        load_site(tmp_path, tiny_planset())
    assert str(tmp_path / "site.yaml") in str(exc.value) and words in str(exc.value)


def test_contrast_matches_the_wcag_worked_values() -> None:
    # WCAG 2 contrast: black/white 21:1; #767676 is the lightest grey passing AA (4.54:1).
    assert contrast("#000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777") < 4.5
