"""`|machine_date`, the value of every `<time datetime="...">`: ISO 8601 the HTML checker
accepts (no microseconds), in the site's time zone."""

import datetime
import zoneinfo

from django.template import Context, Template

from fansite.templatetags.machine_dates import machine_date


def test_a_datetime_is_shown_to_the_second_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    when = datetime.datetime(2024, 2, 9, 10, 30, 5, 123456, tzinfo=datetime.UTC)
    assert machine_date(when) == "2024-02-09T11:30:05+01:00"


def test_a_naive_datetime_keeps_its_clock_time():
    assert machine_date(datetime.datetime(2024, 2, 9, 10, 30, 5, 99)) == "2024-02-09T10:30:05"


def test_a_date_is_shown_as_a_date():
    assert machine_date(datetime.date(1997, 4, 25)) == "1997-04-25"


def test_nothing_gives_an_empty_attribute():
    assert machine_date(None) == ""


def test_every_template_has_the_filter_without_loading_it(settings):
    settings.TIME_ZONE = "UTC"
    when = datetime.datetime(2024, 2, 9, 10, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    html = Template('<time datetime="{{ when|machine_date }}">').render(Context({"when": when}))
    assert html == '<time datetime="2024-02-09T10:00:00+00:00">'
