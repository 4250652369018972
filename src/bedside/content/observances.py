"""A library of US health observances that suggest posts on the calendar."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Observance:
    slug: str
    name: str
    month: int
    first_day: int
    last_day: int  # inclusive; 31 means "to the end of the month"
    pillar: str
    suggestion: str

    def days_in(self, year: int) -> tuple[dt.date, dt.date]:
        last = min(self.last_day, calendar.monthrange(year, self.month)[1])
        return dt.date(year, self.month, self.first_day), dt.date(year, self.month, last)


OBSERVANCES: list[Observance] = [
    Observance("heart-month", "American Heart Month", 2, 1, 31, "Education",
               "February is American Heart Month. Small steps help your heart: a daily walk, "
               "less salt, and knowing your blood pressure. Learn more: heart.org"),
    Observance("wear-red", "National Wear Red Day", 2, 6, 6, "Community",
               "Today our team wears red for women's heart health. Heart disease is the top "
               "cause of death for women. Know the signs: cdc.gov/heartdisease"),
    Observance("colorectal-month", "Colorectal Cancer Awareness Month", 3, 1, 31, "Education",
               "Colorectal cancer screening now starts at age 45. Ask us which test fits you. "
               "More: cancer.gov"),
    Observance("public-health-week", "National Public Health Week", 4, 6, 12, "Community",
               "It's National Public Health Week. Thank you to everyone who keeps our community "
               "healthy."),
    Observance("mental-health-month", "Mental Health Awareness Month", 5, 1, 31, "Education",
               "May is Mental Health Awareness Month. It's okay to ask for help. Call or text "
               "988 any time for support."),
    Observance("mens-health-month", "Men's Health Month", 6, 1, 30, "Education",
               "June is Men's Health Month. A yearly check-up can catch problems early. "
               "Book yours today."),
    Observance("uv-safety-month", "UV Safety Month", 7, 1, 31, "Education",
               "Sun safety: use sunscreen SPF 30+, wear a hat, and seek shade from 10 to 4. "
               "More tips: cdc.gov"),
    Observance("immunization-month", "National Immunization Awareness Month", 8, 1, 31,
               "Education",
               "August is National Immunization Awareness Month. Vaccines protect you and the "
               "people you love. Check your family's shots: cdc.gov/vaccines"),
    Observance("back-to-school", "Back-to-school check-ups", 8, 1, 31, "Practice news",
               "School starts soon! Book sports physicals and check-ups early to get the times "
               "you want."),
    Observance("flu-season", "Flu season: get your flu shot", 9, 15, 30, "Education",
               "Flu season is here. A flu shot is the best way to protect yourself. Walk-ins "
               "welcome. Learn more: cdc.gov/flu"),
    Observance("breast-cancer-month", "Breast Cancer Awareness Month", 10, 1, 31, "Education",
               "October is Breast Cancer Awareness Month. Talk with us about when to start "
               "mammograms. More: cancer.gov"),
    Observance("flu-shots-october", "Flu shots: it's not too late", 10, 1, 31, "Education",
               "It's not too late for a flu shot. It takes about two weeks to work, so get yours "
               "now. cdc.gov/flu"),
    Observance("diabetes-month", "National Diabetes Month", 11, 1, 30, "Education",
               "November is National Diabetes Month. Know your risk and ask about a simple blood "
               "test. More: niddk.nih.gov"),
    Observance("handwashing-week", "National Handwashing Awareness Week", 12, 1, 7,
               "Education",
               "Clean hands save lives. Wash for 20 seconds with soap and water, especially "
               "before eating. cdc.gov/handwashing"),
    Observance("cervical-health-month", "Cervical Health Awareness Month", 1, 1, 31, "Education",
               "January is Cervical Health Awareness Month. Regular screening and the HPV "
               "vaccine help prevent cervical cancer."),
]  # fmt: skip


def observance_get(slug: str) -> Observance | None:
    return next((o for o in OBSERVANCES if o.slug == slug), None)


def observances_between(start: dt.date, end: dt.date) -> list[tuple[Observance, dt.date]]:
    """Observances whose period overlaps [start, end], each with its first day shown."""
    found = []
    for year in {start.year, end.year}:
        for obs in OBSERVANCES:
            first, last = obs.days_in(year)
            if first <= end and last >= start:
                found.append((obs, max(first, start)))
    return sorted(found, key=lambda pair: (pair[1], pair[0].name))
