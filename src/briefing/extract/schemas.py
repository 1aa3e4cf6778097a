"""Declared schemas of the processed tables; every table is validated before it is written."""

from __future__ import annotations

from functools import cache

KINDS = ["money", "count", "duration", "period", "percentage"]


@cache
def schemas() -> dict:
    """The pandera schemas, built on first use (pandera is slow to import, and only writers need it)."""
    import pandera.pandas as pa

    _offsets = {
        "start": pa.Column(int, pa.Check.ge(0)),
        "end": pa.Column(int, pa.Check.ge(0)),
    }

    FIGURES = pa.DataFrameSchema(
        {
            "figure_id": pa.Column(str, unique=True),
            "kind": pa.Column(str, pa.Check.isin(KINDS)),
            "text": pa.Column(str),
            "value": pa.Column(float, nullable=True),
            "value_max": pa.Column(float, nullable=True),
            "unit": pa.Column(str),
            "qualifier": pa.Column(str),
            "vague": pa.Column(bool),
            **_offsets,
            "paragraph": pa.Column(int, pa.Check.ge(0)),
            "in_quote": pa.Column(bool),
            "context": pa.Column(str),
            "year": pa.Column(str, pa.Check.str_matches(r"^(?:|(?:1[89]|2\d)\d\d(?:-\d\d)?)$")),
            "year_basis": pa.Column(str, pa.Check.isin(["", "financial", "calendar"])),
        },
        checks=[pa.Check(lambda df: (df["end"] > df["start"]).all(), error="end must be after start"),
                pa.Check(lambda df: (df["vague"] | df["value"].notna()).all(), error="a precise figure needs a value")],
        strict=True, ordered=True,
    )
    QUOTES = pa.DataFrameSchema(
        {
            "quote_id": pa.Column(str, unique=True),
            "speaker": pa.Column(str),
            "speaker_type": pa.Column(str, pa.Check.isin(["", "person", "organisation"])),
            "role": pa.Column(str),
            "text": pa.Column(str),
            **_offsets,
            "paragraph_start": pa.Column(int),
            "paragraph_end": pa.Column(int),
            "kind": pa.Column(str, pa.Check.isin(["direct", "partial"])),
            "attribution": pa.Column(str, pa.Check.isin(["", "before", "after", "inverted", "pronoun", "role",
                                                          "continuation", "subject", "organisation"])),
        },
        strict=True, ordered=True,
    )
    PEOPLE = pa.DataFrameSchema(
        {"name": pa.Column(str, unique=True), "role": pa.Column(str), "organisation": pa.Column(str),
         "first_start": pa.Column(int, pa.Check.ge(0)), "first_end": pa.Column(int), "mentions": pa.Column(int, pa.Check.ge(1))},
        strict=True, ordered=True,
    )
    ORGANISATIONS = pa.DataFrameSchema(
        {"name": pa.Column(str, unique=True), "mentions": pa.Column(int, pa.Check.ge(1)),
         "first_start": pa.Column(int, pa.Check.ge(0)), "first_end": pa.Column(int)},
        strict=True, ordered=True,
    )
    DATES = pa.DataFrameSchema(
        {"text": pa.Column(str), "date": pa.Column(str), "precision": pa.Column(str, pa.Check.isin(["day", "week", "month", "year", ""])),
         "relative": pa.Column(bool), **_offsets},
        strict=True, ordered=True,
    )
    PARAGRAPHS = pa.DataFrameSchema(
        {"paragraph": pa.Column(int), **_offsets, "is_bullet": pa.Column(bool), "text": pa.Column(str)},
        strict=True, ordered=True,
    )
    CHECKS = pa.DataFrameSchema(
        {"check_id": pa.Column(str, unique=True),
         "relation": pa.Column(str, pa.Check.isin(["difference", "total", "share", "change", "span", "approximation", "parts", "per_unit"])),
         "claim_figure_id": pa.Column(str), "claim_text": pa.Column(str),
         "claim_start": pa.Column(int, pa.Check.ge(0)), "claim_end": pa.Column(int),
         "claimed_value": pa.Column(float), "computed_value": pa.Column(float), "operands": pa.Column(str),
         "formula": pa.Column(str),
         "verdict": pa.Column(str, pa.Check.isin(["consistent", "within_rounding", "likely_typo", "inconsistent"])),
         "explanation": pa.Column(str)},
        checks=[pa.Check(lambda df: (df["claim_end"] > df["claim_start"]).all(), error="claim_end after claim_start")],
        strict=True, ordered=True,
    )
    DEFENDANTS = pa.DataFrameSchema(
        {"name": pa.Column(str, unique=True), "age": pa.Column(float, pa.Check.in_range(10, 120), nullable=True),
         "outcome": pa.Column(str, pa.Check.isin(["convicted", "pleaded guilty", "acquitted", "no verdict",
                                                  "awaiting sentence", "unknown"])),
         "sentence": pa.Column(str, pa.Check.isin(["life", "determinate", "suspended", "indefinite", "other", "none"])),
         "term_years": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
         "minimum_term_years": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
         "suspended_years": pa.Column(float, pa.Check.in_range(0, 10), nullable=True),
         "offences": pa.Column(str), "text": pa.Column(str), **_offsets, "paragraph": pa.Column(int, pa.Check.ge(0))},
        strict=True, ordered=True,
    )
    COURT = pa.DataFrameSchema(
        {"fact": pa.Column(str, unique=True), "value": pa.Column(str), "figure_id": pa.Column(str),
         "text": pa.Column(str), **_offsets},
        strict=True, ordered=True,
    )
    return {"paragraphs": PARAGRAPHS, "figures": FIGURES, "quotes": QUOTES, "people": PEOPLE,
            "organisations": ORGANISATIONS, "dates": DATES, "checks": CHECKS, "defendants": DEFENDANTS,
            "court": COURT}


_TYPES = {"paragraphs": dict(paragraph=int, start=int, end=int, is_bullet=bool, text=str),
          "figures": dict(figure_id=str, kind=str, text=str, value=float, value_max=float, unit=str, qualifier=str,
                          vague=bool, start=int, end=int, paragraph=int, in_quote=bool, context=str, year=str,
                          year_basis=str),
          "quotes": dict(quote_id=str, speaker=str, speaker_type=str, role=str, text=str, start=int, end=int,
                         paragraph_start=int,
                         paragraph_end=int, kind=str, attribution=str),
          "people": dict(name=str, role=str, organisation=str, first_start=int, first_end=int, mentions=int),
          "organisations": dict(name=str, mentions=int, first_start=int, first_end=int),
          "dates": dict(text=str, date=str, precision=str, relative=bool, start=int, end=int),
          "checks": dict(check_id=str, relation=str, claim_figure_id=str, claim_text=str, claim_start=int,
                         claim_end=int, claimed_value=float, computed_value=float, operands=str, formula=str,
                         verdict=str, explanation=str),
          "defendants": dict(name=str, age=float, outcome=str, sentence=str, term_years=float,
                             minimum_term_years=float, suspended_years=float, offences=str, text=str, start=int,
                             end=int, paragraph=int),
          "court": dict(fact=str, value=str, figure_id=str, text=str, start=int, end=int)}
#: column -> Python type, per table, for readers (no pandera needed); a test checks it matches the schemas
COLUMNS = _TYPES
