"""The JSON edge: what parse_text lets through to the schemas, and what it refuses before they run."""

from __future__ import annotations

import pytest

from consent_server.edge import API_MAX_DEPTH, parse_text
from consent_server.errors import MalformedBody


def nested(levels: int, opener: bytes = b"[", closer: bytes = b"]") -> bytes:
    """An object whose "a" holds `levels` nested containers: levels + 1 deep in all."""
    return b'{"a": ' + opener * levels + closer * levels + b"}"


def nested_objects(levels: int) -> bytes:
    """`levels` objects nested through key "a": exactly `levels` deep."""
    return b'{"a": ' * levels + b"1" + b"}" * levels


def refusal(raw: bytes, max_depth: int = API_MAX_DEPTH) -> MalformedBody:
    with pytest.raises(MalformedBody) as excinfo:
        parse_text(raw, max_depth)
    return excinfo.value


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        (b"{}", {}),
        (
            b'{"site": "example", "categories": {"analytics": true}}',
            {"site": "example", "categories": {"analytics": True}},
        ),
        (b'{"n": 1.5, "big": 18446744073709551616, "none": null}', {"n": 1.5, "big": 2**64, "none": None}),
        ('{"t": "café 😀"}'.encode(), {"t": "café 😀"}),
        (b'{"t": "\\u00e9\\ud83d\\ude00"}', {"t": "é😀"}),  # an escaped surrogate pair is one character
        (b'  {"a": [1, 2]}\n', {"a": [1, 2]}),
    ],
)
def test_parse_text_returns_a_valid_object(raw: bytes, parsed: dict[str, object]) -> None:
    assert parse_text(raw) == parsed


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": "\xff"}',
        b'{"a": "\xc0\xaf"}',  # overlong "/"
        b'{"a": "\xed\xa0\x80"}',  # a surrogate encoded as UTF-8
        b'{"a": "caf\xe9"}',  # Latin-1
    ],
)
def test_parse_text_refuses_invalid_utf8(raw: bytes) -> None:
    assert refusal(raw).code == "invalid_json"


@pytest.mark.parametrize(
    "raw",
    [nested(1000), nested_objects(1000), b'{"a": ' + b"[" * 100_000],
    ids=["arrays", "objects", "unclosed-arrays"],
)
def test_parse_text_refuses_deep_nesting(raw: bytes) -> None:
    assert refusal(raw).code == "too_deep"


@pytest.mark.parametrize(
    "raw",
    [nested(API_MAX_DEPTH - 1), nested_objects(API_MAX_DEPTH), b'{"a": [{"b": [{"c": [{"d": [1]}]}]}]}'],
    ids=["arrays", "objects", "mixed"],
)
def test_parse_text_accepts_nesting_at_the_limit(raw: bytes) -> None:
    assert isinstance(parse_text(raw), dict)


@pytest.mark.parametrize(
    "raw",
    [nested(API_MAX_DEPTH), nested_objects(API_MAX_DEPTH + 1), b'{"a": [{"b": [{"c": [{"d": [[1]]}]}]}]}'],
    ids=["arrays", "objects", "mixed"],
)
def test_parse_text_refuses_nesting_one_past_the_limit(raw: bytes) -> None:
    assert refusal(raw).code == "too_deep"


def test_parse_text_counts_depth_against_the_given_limit() -> None:
    assert parse_text(nested(2), max_depth=3) == {"a": [[]]}
    assert refusal(nested(3), max_depth=3).code == "too_deep"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": "' + b"[" * 1000 + b'"}',
        b'{"a": "' + b"{" * 1000 + b'"}',
        b'{"' + b"[" * 1000 + b'": 1}',
        b'{"a": "\\"' + b"[" * 1000 + b'", "b": "\\\\"}',  # escaped quote keeps the string open
    ],
    ids=["array-brackets", "object-braces", "in-key", "after-escaped-quote"],
)
def test_parse_text_does_not_count_brackets_inside_strings(raw: bytes) -> None:
    assert isinstance(parse_text(raw), dict)


def test_parse_text_counts_brackets_after_an_escaped_backslash() -> None:
    # "\\" ends with an escaped backslash, so the string closes and the brackets after it count.
    raw = b'{"a": "\\\\", "b": ' + b"[" * 20 + b"]" * 20 + b"}"
    assert refusal(raw).code == "too_deep"


@pytest.mark.parametrize(
    "raw",
    [b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}', b'{"a": [1, NaN]}'],
)
def test_parse_text_refuses_nan_and_infinity(raw: bytes) -> None:
    assert refusal(raw).code == "invalid_json"


@pytest.mark.parametrize("raw", [b'{"a": 1e400}', b'{"a": -1e400}'])
def test_parse_text_refuses_numbers_that_overflow_to_infinity(raw: bytes) -> None:
    assert refusal(raw).code == "invalid_json"


@pytest.mark.parametrize("raw", [b'{"a": ' + b"9" * 5000 + b"}", b'{"a": -' + b"1" * 5000 + b"}"])
def test_parse_text_refuses_5000_digit_integers(raw: bytes) -> None:
    assert refusal(raw).code == "invalid_json"


@pytest.mark.parametrize(
    "raw",
    [b"[]", b'[{"a": 1}]', b'"accept_all"', b"1", b"true", b"null"],
)
def test_parse_text_refuses_anything_but_an_object_at_the_top(raw: bytes) -> None:
    error = refusal(raw)
    assert error.code == "invalid_json"
    assert "object" in error.message


@pytest.mark.parametrize(
    "raw",
    [b"", b"   ", b"{", b'{"a": 1,}', b"{'a': 1}", b'{"a": 1} {}', b"site=example", b'\xef\xbb\xbf{"a": 1}'],
    ids=["empty", "blank", "unclosed", "trailing-comma", "single-quotes", "two-values", "form", "bom"],
)
def test_parse_text_refuses_what_is_no_json(raw: bytes) -> None:
    assert refusal(raw).code == "invalid_json"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"a": "x\\u0000y"}', "a"),
        (b'{"a": {"b": ["ok", "\\u0000"]}}', "a.b[1]"),
        (b'{"a\\u0000": 1}', "body"),
        (b'{"a": {"b\\u0000": 1}}', "a"),
    ],
    ids=["value", "nested-value", "key", "nested-key"],
)
def test_parse_text_refuses_nul_characters(raw: bytes, field: str) -> None:
    error = refusal(raw)
    assert error.code == "invalid_text"
    assert field in error.fields


def test_parse_text_refuses_a_raw_nul_byte() -> None:
    assert refusal(b'{"a": "x\x00y"}').code == "invalid_json"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"a": "\\ud800"}', "a"),
        (b'{"a": "x\\udfffy"}', "a"),
        (b'{"a": "\\ude00\\ud83d"}', "a"),  # a pair in the wrong order is two lone surrogates
        (b'{"a": [{"b": "\\ud800"}]}', "a[0].b"),
        (b'{"\\ud800": 1}', "body"),
        (b'{"a": {"\\udc00": 1}}', "a"),
    ],
    ids=["high", "low", "reversed-pair", "nested-value", "key", "nested-key"],
)
def test_parse_text_refuses_lone_surrogates(raw: bytes, field: str) -> None:
    error = refusal(raw)
    assert error.code == "invalid_text"
    assert field in error.fields
