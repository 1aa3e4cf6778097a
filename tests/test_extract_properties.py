"""Property-based tests: arbitrary text never crashes the extractor, offsets always hold, output is deterministic."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.extract import extract_text
from briefing.text import normalise
from conftest import assert_offsets

WORDS = ["£24m", "£1.2bn", "$5", "seven", "twenty-one", "a dozen", "95 years", "18-week", "2006/7", "14%", "per cent",
         "said", "He said:", "“", "”", '"', "‘", "’", "``", "''", "Mr Smith", "Chief Constable Sara Thornton",
         "Police", "Council", "last Tuesday", "in July", "2014", "between", "and", "to", "-", ",", ".", "\n\n", "\n",
         "• ", "about", "more than", "millions of", "pounds", "aged 51", "Jane Roe, 34,", "of", "the"]
article_like = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=60).map(" ".join)


def _check(text):
    text = normalise(text)
    tables = extract_text(text)
    assert_offsets(text, tables)
    return tables


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_like)
def test_article_like_text_never_crashes_and_offsets_hold(text):
    _check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text(text):
    _check(text)


@settings(max_examples=40, deadline=None)
@given(article_like)
def test_deterministic(text):
    a = {k: v.to_csv() for k, v in _check(text).items()}
    b = {k: v.to_csv() for k, v in _check(text).items()}
    assert a == b
