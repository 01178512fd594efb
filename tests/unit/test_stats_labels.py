"""Every metric and property has a Dutch and an English label; visitors say how they are counted."""

from __future__ import annotations

import pytest

from consent_server.stats.labels import LANGUAGES, label, labels_for
from consent_server.stats.query import METRICS, PROPERTIES


@pytest.mark.parametrize("key", [*METRICS, *PROPERTIES])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_metric_and_property_has_a_label(key: str, language: str) -> None:
    assert label(key, language).name


def test_the_visitors_label_says_a_person_on_two_days_counts_twice() -> None:
    assert "counts twice" in label("visitors", "en").description
    assert "telt twee keer" in label("visitors", "nl").description


def test_the_floor_note_names_k() -> None:
    assert label("below_k", "nl", k=5).name == "Minder dan 5 bezoekers"
    assert labels_for("en", k=7)["notes"]["below_k"]["name"] == "Fewer than 7 visitors"


def test_an_unknown_language_falls_back_to_dutch() -> None:
    assert label("visits", "de").name == "Bezoeken"
