"""The site configuration rules (EDPB cookie-banner taskforce cases A-G and consistency rules).

Each test changes one thing of the shipped example document and expects a refusal naming the rule.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import consent_server
from consent_server.errors import InvalidInput
from consent_server.sites.schemas import (
    RuleViolation,
    check_rules,
    contrast_ratio,
    is_known_non_essential,
    parse_site_doc,
)

EXAMPLE = json.loads((Path(consent_server.__file__).parent / "data" / "monoconnect.json").read_text("utf-8"))
ACCENT = {"variant": "filled", "background": "#154273", "text": "#ffffff"}

Doc = dict[str, Any]


def example(change: Callable[[Doc], object] = lambda doc: None) -> Doc:
    """A deep copy of the example document with one change applied."""
    doc = copy.deepcopy(EXAMPLE)
    change(doc)
    return doc


def category(doc: Doc, key: str) -> Doc:
    return next(item for item in doc["categories"] if item["key"] == key)


def service(doc: Doc, key: str) -> Doc:
    return next(item for item in doc["services"] if item["key"] == key)


def cookie(name: str) -> Doc:
    return {"name": name, "duration_days": 390, "texts": {"nl": {"purpose": "x"}, "en": {"purpose": "y"}}}


def violation(doc: Doc) -> RuleViolation:
    with pytest.raises(RuleViolation) as excinfo:
        parse_site_doc(doc)
    return excinfo.value


def shape_error(doc: Doc) -> InvalidInput:
    with pytest.raises(InvalidInput) as excinfo:
        parse_site_doc(doc)
    assert not isinstance(excinfo.value, RuleViolation), "a shape error must not reach the rules"
    return excinfo.value


def assert_refused(doc: Doc, field: str, rule: str) -> None:
    error = violation(doc)
    assert error.code == "configuration_refused"
    assert field in error.fields, f"{field} not among {sorted(error.fields)}"
    assert error.fields[field].startswith(rule), error.fields[field]
    assert rule in error.message


def test_parse_site_doc_accepts_the_example_document() -> None:
    doc = parse_site_doc(example())
    assert doc.key == "monoconnect"
    assert [item.key for item in doc.categories] == ["necessary", "preferences", "analytics", "marketing"]
    assert check_rules(doc) == []


def test_parse_site_doc_leaves_its_input_unchanged() -> None:
    doc = example()
    parse_site_doc(doc)
    assert doc == EXAMPLE


# --- EDPB cases A-G ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_rule_a_refuses_a_missing_reject_all_text(lang: str) -> None:
    doc = example(lambda doc: doc["texts"][lang].pop("reject_all"))
    assert_refused(doc, f"texts.{lang}.reject_all", "EDPB-A")


@pytest.mark.parametrize("key", ["preferences", "analytics", "marketing"])
def test_rule_b_refuses_a_non_necessary_category_on_by_default(key: str) -> None:
    doc = example(lambda doc: category(doc, key).update(default=True))
    index = [item["key"] for item in doc["categories"]].index(key)
    assert_refused(doc, f"categories[{index}].default", "EDPB-B")


def test_rule_b_allows_necessary_on_by_default() -> None:
    parse_site_doc(example(lambda doc: category(doc, "necessary").update(default=True)))


@pytest.mark.parametrize("variant", ["link", "outline"])
def test_rule_c_refuses_reject_styled_differently_from_a_filled_accept(variant: str) -> None:
    doc = example(
        lambda doc: doc["theme"].update(accept_button=ACCENT, reject_button={**ACCENT, "variant": variant})
    )
    assert_refused(doc, "theme.reject_button.variant", "EDPB-C")


def test_rule_c_refuses_reject_as_a_link_next_to_the_default_accept() -> None:
    doc = example(lambda doc: doc["theme"].update(reject_button={**ACCENT, "variant": "link"}))
    assert_refused(doc, "theme.reject_button.variant", "EDPB-C")


@pytest.mark.parametrize(
    "reject",
    [
        {"variant": "filled", "background": "#ffffff", "text": "#154273"},
        {"variant": "filled", "background": "#154273", "text": "#fffffe"},
        {"variant": "filled", "background": "#1b1b1b", "text": "#ffffff"},
    ],
)
def test_rule_d_refuses_reject_colours_that_differ_from_accept(reject: Doc) -> None:
    doc = example(lambda doc: doc["theme"].update(accept_button=ACCENT, reject_button=reject))
    assert_refused(doc, "theme.reject_button", "EDPB-D")


def test_rule_d_compares_colours_case_insensitively() -> None:
    parse_site_doc(
        example(
            lambda doc: doc["theme"].update(accept_button=ACCENT, reject_button={**ACCENT, "text": "#FFFFFF"})
        )
    )


@pytest.mark.parametrize(
    ("theme", "field"),
    [
        ({"text": "#777777", "background": "#888888"}, "theme.text"),
        ({"text": "#ffffff", "background": "#ffffff"}, "theme.text"),
        ({"accent": "#ffff00", "accent_text": "#ffffff"}, "theme.accent_text"),
        ({"accent": "#154273", "accent_text": "#1b1b1b"}, "theme.accent_text"),
    ],
)
def test_rule_e_refuses_low_contrast(theme: Doc, field: str) -> None:
    doc = example(lambda doc: doc["theme"].update(theme))
    assert_refused(doc, field, "EDPB-E")


def test_rule_e_refuses_low_contrast_on_both_buttons() -> None:
    pale = {"variant": "filled", "background": "#dddddd", "text": "#ffffff"}
    error = violation(example(lambda doc: doc["theme"].update(accept_button=pale, reject_button=pale)))
    assert error.fields["theme.accept_button.text"].startswith("EDPB-E")
    assert error.fields["theme.reject_button.text"].startswith("EDPB-E")


def test_rule_f_refuses_legitimate_interest_on_a_non_necessary_category() -> None:
    doc = example(lambda doc: category(doc, "analytics").update(legal_basis="legitimate_interest"))
    assert_refused(doc, "categories[2].legal_basis", "EDPB-F")


def test_rule_f_refuses_legitimate_interest_on_a_non_necessary_service() -> None:
    doc = example(lambda doc: service(doc, "statistics").update(legal_basis="legitimate_interest"))
    assert_refused(doc, "services[3].legal_basis", "EDPB-F")


@pytest.mark.parametrize(
    ("lang", "purpose"),
    [
        ("nl", "Wij meten bezoeken op grond van ons gerechtvaardigd belang."),
        ("nl", "Op basis van GERECHTVAARDIGD BELANG."),
        ("en", "We measure visits based on our legitimate interest."),
    ],
)
def test_rule_f_refuses_a_purpose_that_claims_legitimate_interest(lang: str, purpose: str) -> None:
    doc = example(lambda doc: service(doc, "statistics")["texts"][lang].update(purpose=purpose))
    assert_refused(doc, f"services[3].texts.{lang}.purpose", "EDPB-F")


def test_rule_f_refuses_a_category_description_that_claims_legitimate_interest() -> None:
    doc = example(
        lambda doc: category(doc, "marketing")["texts"]["nl"].update(
            description="Advertenties op grond van ons gerechtvaardigd belang."
        )
    )
    assert_refused(doc, "categories[3].texts.nl.description", "EDPB-F")


@pytest.mark.parametrize("name", ["_ga", "_ga_ABC123", "_gid", "__utma", "_fbp", "_hjSessionUser_123", "IDE"])
def test_rule_g_refuses_a_known_non_essential_cookie_under_a_necessary_service(name: str) -> None:
    doc = example(lambda doc: service(doc, "platform-session")["cookies"].append(cookie(name)))
    assert_refused(doc, "services[1].cookies[1].name", "EDPB-G")


def test_rule_g_allows_a_known_non_essential_cookie_under_a_consent_service() -> None:
    parse_site_doc(example(lambda doc: service(doc, "statistics")["cookies"].append(cookie("_ga"))))


# --- consistency rules -------------------------------------------------------------------------------


def test_parse_site_doc_refuses_a_first_category_other_than_necessary() -> None:
    doc = example(lambda doc: doc["categories"].reverse())
    assert_refused(doc, "categories[0].key", "necessary first")


def test_parse_site_doc_refuses_a_service_naming_an_unknown_category() -> None:
    doc = example(lambda doc: service(doc, "statistics").update(category="statistics"))
    assert_refused(doc, "services[3].category", "known category")


def test_parse_site_doc_refuses_duplicate_category_keys() -> None:
    doc = example(lambda doc: doc["categories"].append(copy.deepcopy(category(doc, "analytics"))))
    assert_refused(doc, "categories", "unique keys")
    assert "'analytics'" in violation(doc).fields["categories"]


def test_parse_site_doc_refuses_duplicate_service_keys() -> None:
    doc = example(lambda doc: doc["services"].append(copy.deepcopy(service(doc, "youtube"))))
    assert_refused(doc, "services", "unique keys")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_parse_site_doc_refuses_a_category_without_a_text_in_a_banner_language(lang: str) -> None:
    doc = example(lambda doc: category(doc, "preferences")["texts"].pop(lang))
    assert_refused(doc, f"categories[1].texts.{lang}", "texts")


def test_parse_site_doc_refuses_a_service_without_a_text_in_a_banner_language() -> None:
    doc = example(lambda doc: service(doc, "youtube")["texts"].pop("en"))
    assert_refused(doc, "services[4].texts.en", "texts")


def test_parse_site_doc_refuses_a_cookie_without_a_text_in_a_banner_language() -> None:
    doc = example(lambda doc: service(doc, "youtube")["cookies"][0]["texts"].pop("en"))
    assert_refused(doc, "services[4].cookies[0].texts.en", "texts")


def test_parse_site_doc_does_not_require_english_texts_of_an_only_dutch_site() -> None:
    def only_dutch(doc: Doc) -> None:
        del doc["texts"]["en"]
        for item in [*doc["categories"], *doc["services"]]:
            item["texts"].pop("en")
            for entry in item.get("cookies", []):
                entry["texts"].pop("en")

    parse_site_doc(example(only_dutch))


def test_parse_site_doc_refuses_a_default_language_without_texts() -> None:
    doc = example(lambda doc: doc.update(default_language="en") or doc["texts"].pop("en"))
    assert_refused(doc, "default_language", "languages")


@pytest.mark.parametrize(
    "domain", [".example.nl", "connect.nl", "www.monoconnect.nl.evil.nl", "app.monoconnect.nl"]
)
def test_parse_site_doc_refuses_a_cookie_domain_covering_no_origin(domain: str) -> None:
    doc = example(lambda doc: doc.update(cookie_domain=domain))
    assert_refused(doc, "cookie_domain", "cookie domain")


@pytest.mark.parametrize(
    "domain", [".monoconnect.nl", "monoconnect.nl", "www.monoconnect.nl", ".MonoConnect.NL"]
)
def test_parse_site_doc_accepts_a_cookie_domain_covering_an_origin(domain: str) -> None:
    parse_site_doc(example(lambda doc: doc.update(cookie_domain=domain)))


def test_parse_site_doc_lower_cases_domain_names() -> None:
    def upper_case_domains(doc: Doc) -> None:
        doc["cookie_domain"] = ".MonoConnect.NL"
        service(doc, "youtube")["cookies"][0]["domain"] = ".YouTube.com"

    doc = parse_site_doc(example(upper_case_domains))
    assert doc.cookie_domain == ".monoconnect.nl"
    assert doc.services[4].cookies[0].domain == ".youtube.com"


@pytest.mark.parametrize(
    "domain", ["mono_connect.nl", "-monoconnect.nl", "monoconnect..nl", "\u017fmonoconnect.nl"]
)
def test_parse_site_doc_refuses_a_cookie_domain_that_is_no_domain_name(domain: str) -> None:
    assert "cookie_domain" in shape_error(example(lambda doc: doc.update(cookie_domain=domain))).fields


# --- shape -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    [
        "https://www.monoconnect.nl/app",
        "https://www.monoconnect.nl/?a=1",
        "https://www.monoconnect.nl/#x",
        "https://jan@www.monoconnect.nl",
        "ftp://www.monoconnect.nl",
        "www.monoconnect.nl",
    ],
)
def test_parse_site_doc_refuses_an_origin_that_is_no_origin(origin: str) -> None:
    error = shape_error(example(lambda doc: doc["origins"].append(origin)))
    assert "origins[2]" in error.fields


def test_parse_site_doc_normalises_origins() -> None:
    doc = parse_site_doc(example(lambda doc: doc.update(origins=["HTTPS://WWW.MonoConnect.NL/"])))
    assert doc.origins == ["https://www.monoconnect.nl"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda doc: doc.update(colour="red"), "colour"),
        (lambda doc: doc["theme"].update(font="Comic Sans"), "theme.font"),
        (lambda doc: category(doc, "analytics").update(required=False), "categories[2].required"),
    ],
    ids=["top-level", "theme", "category"],
)
def test_parse_site_doc_refuses_unknown_fields(change: Callable[[Doc], object], field: str) -> None:
    assert field in shape_error(example(change)).fields


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda doc: doc.update(policy_version="1"), "policy_version"),
        (lambda doc: doc.update(policy_version=1.0), "policy_version"),
        (lambda doc: doc.update(consent_lifetime_months=13), "consent_lifetime_months"),
        (lambda doc: doc.update(consent_mode=1), "consent_mode"),
        (lambda doc: doc.update(gpc_mode="sometimes"), "gpc_mode"),
        (lambda doc: category(doc, "analytics").update(default="false"), "categories[2].default"),
        (lambda doc: doc["theme"].update(text="black"), "theme.text"),
        (lambda doc: doc.update(categories=[]), "categories"),
        (lambda doc: category(doc, "analytics").update(key="Analytics"), "categories[2].key"),
    ],
    ids=[
        "version-string",
        "version-float",
        "lifetime-over-12",
        "bool-as-int",
        "unknown-gpc-mode",
        "default-string",
        "colour-name",
        "no-categories",
        "upper-case-key",
    ],
)
def test_parse_site_doc_refuses_wrong_types_and_values(change: Callable[[Doc], object], field: str) -> None:
    assert field in shape_error(example(change)).fields


# --- helpers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#000000", 21.0),
        ("#FFFFFF", "#000000", 21.0),
        ("#154273", "#154273", 1.0),
        ("#777777", "#888888", 1.263),
        ("#767676", "#ffffff", 4.542),  # the lightest grey that passes AA on white
    ],
)
def test_contrast_ratio_follows_wcag(first: str, second: str, ratio: float) -> None:
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.001)


@pytest.mark.parametrize(
    "name",
    [
        "_ga",
        "_ga_ABC123",
        "_gid",
        "_gat_UA-1",
        "__utmz",
        "_fbp",
        "_hjid",
        "IDE",
        "YSC",
        "li_sugr",
        "_pk_id.1.1fff",
    ],
)
def test_is_known_non_essential_recognises_vendor_cookies(name: str) -> None:
    assert is_known_non_essential(name) is True


@pytest.mark.parametrize(
    "name", ["cs_consent", "mc_session", "mc_lang", "session", "csrftoken", "_g", "ga", "_gax"]
)
def test_is_known_non_essential_leaves_own_cookies_alone(name: str) -> None:
    assert is_known_non_essential(name) is False


@pytest.mark.parametrize("domain", ["nl", ".nl"])
def test_parse_site_doc_refuses_a_top_level_domain_as_cookie_domain(domain: str) -> None:
    doc = example(lambda doc: doc.update(cookie_domain=domain))
    assert_refused(doc, "cookie_domain", "cookie domain")
