"""Dates as dd/mm/yyyy, whatever the locale; typed dates read the same way."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bng_desktop.core.dates import parse_uk_date, uk_date, uk_datetime

LONDON_SUMMER = timezone(timedelta(hours=1))


def test_stored_utc_times_show_day_first_in_the_local_zone():
    assert uk_date("2026-03-04T10:00:00+00:00", UTC) == "04/03/2026"
    assert uk_datetime("2026-07-04T23:30:00+00:00", LONDON_SUMMER) == "05/07/2026 00:30"
    assert uk_date("") == ""


@pytest.mark.parametrize("typed", ["4/3/2026", "04/03/2026", " 04.03.2026 ", "4-3-2026"])
def test_typed_dates_are_day_month_year(typed):
    assert parse_uk_date(typed) == date(2026, 3, 4)


@pytest.mark.parametrize("typed", ["31/02/2026", "2026-03-04", "03/2026", "", "tomorrow"])
def test_what_is_not_a_date_says_how_to_type_one(typed):
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_uk_date(typed)


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_shown_date_reads_back_as_itself(day):
    assert parse_uk_date(day.strftime("%d/%m/%Y")) == day
