"""One format for scores and one for dates and moments, on every page and in each language."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from community.templatetags.display import machine_datetime, percent

MOMENT = datetime(2026, 12, 7, 14, 5, 9, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("91.67"), "91.7%"), (Decimal("100.00"), "100%"), (100.0, "100%"), (50, "50%"), (None, "")],
)
def test_scores_show_at_most_one_decimal(value, shown):
    assert percent(value) == shown


def test_machine_datetime_is_utc_to_the_second():
    assert machine_datetime(MOMENT) == "2026-12-07T14:05:09Z"
    assert machine_datetime(None) == ""


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [("en", "7 Dec 2026", "7 Dec 2026, 14:05"), ("zh-hans", "2026年12月7日", "2026年12月7日 14:05")],
)
def test_dates_and_moments_have_one_format_per_language(settings, language, date, moment):
    settings.TIME_ZONE = "UTC"
    template = Template('{{ when|date:"DATE_FORMAT" }}|{{ when|date:"DATETIME_FORMAT" }}|{{ when|date }}')
    with translation.override(language):
        assert template.render(Context({"when": MOMENT})) == f"{date}|{moment}|{date}"
