"""Every page shows the configured region's emergency numbers and crisis lines as tap-to-call links."""

from __future__ import annotations

import pytest

from questionnaire import create_app
from questionnaire.answerfile import sample
from questionnaire.loader import DEFAULT_RULES_DIR, load_ruleset
from tests.pagecheck import Person, check_page

REGIONS = load_ruleset(DEFAULT_RULES_DIR).regions


def footer_links(person: Person) -> set[str]:
    footer = person.soup.find("footer")
    return {a["href"] for a in footer.find_all("a", href=True)}


@pytest.mark.parametrize("region_id", list(REGIONS))
def test_every_page_has_the_region_numbers(tmp_path, region_id) -> None:
    region = REGIONS[region_id]
    expected = {c.tel for c in (*region.emergency, *region.crisis) if c.number}
    expected |= {c.url for c in region.crisis if c.url and not c.number}
    assert expected, f"region {region_id} has no emergency number or crisis line to show"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-" + "x" * 32,
            "INSTANCE_PATH": str(tmp_path / "i"),
            "REGION": region_id,
        }
    )
    person = Person(app.test_client())
    pages: list[str] = []

    def check_here() -> None:
        missing = expected - footer_links(person)
        assert not missing, f"{person.path} lacks {missing} for region {region_id}"
        pages.append(person.path)

    person.get("/")
    check_here()
    seen = person.walk(sample("calm"))
    assert person.path == "/check", f"the calm sample did not reach the check page: {seen}"
    check_here()
    for url in ("/results", "/summary", "/no-such-page"):
        person.response = person.client.get(url)
        person.soup = check_page(person.response.get_data(as_text=True))
        check_here()
    for page_id in seen:
        person.get(f"/questions/{page_id}")
        check_here()
    assert len(pages) >= 5 + len(seen)
