"""Quotations and their speakers on articles written for the tests (tests/fixtures/quotes/, expected.yaml):
recall and precision of attribution over the whole set, and the constructions one by one."""

from __future__ import annotations

import pytest
import yaml

from briefing.extract import extract_text
from briefing.text import read_article
from conftest import ROOT, assert_offsets

QUOTES = ROOT / "tests" / "fixtures" / "quotes"
EXPECTED = yaml.safe_load((QUOTES / "expected.yaml").read_text(encoding="utf-8"))


def extract(name: str) -> dict:
    return extract_text(read_article(QUOTES / name).text)


@pytest.fixture(scope="module")
def tables():
    return {name: extract(name) for name in EXPECTED}


def find(t: dict, start: str):
    rows = [r for r in t["quotes"].itertuples() if r.text.startswith(start)]
    assert len(rows) == 1, f"{start!r}: {len(rows)} quotes"
    return rows[0]


def test_recall_and_precision_over_the_fixture_set(tables):
    """Precision 1.0: no quote given to the wrong speaker, or to anyone where the text says nobody. Recall at
    least 0.95 of the quotes whose speaker the text gives."""
    right = missed = wrong = 0
    report = []
    for name, items in EXPECTED.items():
        q = tables[name]["quotes"]
        expected_ids = set()
        for item in items:
            r = find(tables[name], item["quote"])
            expected_ids.add(r.quote_id)
            if r.speaker == item["speaker"] and item["speaker"]:
                right += 1
            elif r.speaker:
                wrong += 1
                report.append(f"{name}: {item['quote']!r} given to {r.speaker!r}, not {item['speaker']!r}")
            elif item["speaker"] and not item.get("optional"):
                missed += 1
                report.append(f"{name}: {item['quote']!r} unattributed, not {item['speaker']!r}")
        for r in q.itertuples():  # a quote the expectations do not list may not be attributed to anyone
            if r.quote_id not in expected_ids and r.speaker:
                wrong += 1
                report.append(f"{name}: unlisted {r.text[:30]!r} given to {r.speaker!r}")
    precision = right / (right + wrong)
    recall = right / (right + missed)
    assert precision == 1.0 and recall >= 0.95, "\n".join(report + [f"precision {precision:.2f}, recall {recall:.2f}"])
    assert right >= 120


@pytest.mark.parametrize("name, start, speaker, stype, kind", [
    (name, i["quote"], i["speaker"], i["type"], i["kind"]) for name, items in EXPECTED.items() for i in items
    if not i.get("optional")], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_each_quote(tables, name, start, speaker, stype, kind):
    """Its kind, and its speaker when it has one: never another (a miss is counted by the recall test above)."""
    r = find(tables[name], start)
    assert r.kind == kind
    if r.speaker:
        assert (r.speaker, r.speaker_type) == (speaker, stype)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_offsets_and_every_speaker_listed(tables, name):
    t = tables[name]
    assert_offsets(read_article(QUOTES / name).text, t)
    people, orgs = set(t["people"]["name"]), set(t["organisations"]["name"])
    for r in t["quotes"].itertuples():
        if r.speaker_type == "person":
            assert r.speaker in people, r.speaker
        elif r.speaker_type == "organisation" and r.speaker[:1].isupper():  # named ("the review" is no name)
            assert r.speaker in orgs, r.speaker


def test_how_each_was_found(tables):
    how = {(n, r.text[:20]): r.attribution for n, t in tables.items() for r in t["quotes"].itertuples()}
    assert how[("court-pa-sentencing.txt", "You each played your")] == "role"
    assert how[("court-pa-sentencing.txt", "This was a sophistic")] == "pronoun"
    assert how[("nhs-trust-statement.txt", "This is a good first")] == "inverted"
    assert how[("nhs-trust-statement.txt", "the whole truth")] == "organisation"
    assert how[("judge-remarks-lowercase.txt", "had been failed by e")] == "subject"
    assert how[("school-ofsted.txt", "But we accept that o")] == "continuation"
    assert how[("fraud-trial.txt", "He knows that nothin")] == "before"
    assert how[("wire-tex-marks.txt", "We will not stand by")] == "after"


def test_roles_keep_the_title_as_written(tables):
    people = {r.name: r.role for r in tables["high-court-titles.txt"]["people"].itertuples()}
    assert "Sir Robert Vane" in people and "Sir Robert" not in people
    q = {r.speaker: r.role for r in tables["council-budget-gap.txt"]["quotes"].itertuples()}
    assert q["Department for Levelling Up"] == "spokesman"
    r = find(tables["judge-remarks-lowercase.txt"], "had been failed")
    assert r.role == "judge"


# --- marks as printed ----------------------------------------------------------------------------------------

def quotes_of(text: str) -> list[tuple[str, str]]:
    q = extract_text(text)["quotes"]
    return [(r.text, r.speaker) for r in q.itertuples()]


def test_tex_marks_and_a_closing_pair_of_apostrophes():
    got = quotes_of("Jane Roe, a councillor, said: ``We will fight this.''\n\n"
                    "“It is not over yet,'' Ms Roe said.\n")
    assert got == [("We will fight this.", "Jane Roe"), ("It is not over yet,", "Jane Roe")]


def test_an_unclosed_mark_ends_where_the_next_quote_opens():
    got = quotes_of("Cllr Tom Reeve said: “Nobody wants this. “But we must save £3m,” he added.\n")
    assert got == [("Nobody wants this.", "Tom Reeve"), ("But we must save £3m,", "Tom Reeve")]


def test_a_quote_continued_into_the_next_paragraph():
    got = quotes_of("Sgt Amy Holt said: “The driver did not stop.\n\n“Please call us.”\n\nThe road reopened.\n")
    assert got == [("The driver did not stop.\n\n“Please call us.", "Amy Holt")]


@pytest.mark.parametrize("text", [
    "Two councillors spoke. “It is a false economy,” one of them said.\n",
    "“We are not done,” a councillor said.\n",
    "John Barker and Mary Sutton met. “Enough,” said the councillor after a long pause.\n",
    "Police thanked Jane Roe, 34. “It was nothing,” she said.\n",
])
def test_no_speaker_when_the_text_does_not_say(text):
    assert all(not speaker for _, speaker in quotes_of(text))


def test_two_people_with_the_same_role_leave_the_role_noun_unattributed():
    text = ("Judge Anne Ross and Judge Peter Hale sat together.\n\n"
            "“You are a danger,” the judge said.\n")
    assert quotes_of(text) == [("You are a danger,", "")]


def test_according_to():
    got = quotes_of("Lisa Morris, 45, lost her daughter. According to Ms Morris, “nobody listened to us at all”.\n\n"
                    "The force was “in chaos for a decade or more”, according to Harwick Borough Council.\n")
    assert got == [("nobody listened to us at all", "Lisa Morris"),
                   ("in chaos for a decade or more", "Harwick Borough Council")]


@pytest.mark.parametrize("verb", ["describes", "calls", "rated"])
def test_a_partial_quote_after_a_clause_with_its_own_voice_is_not_the_subjects(verb):
    """"X says it “welcomes” the conclusions of a review that describes the service as “failing”":
    "inadequate" is the report's word, not X's."""
    text = (f"Harwick Council says it “welcomes every one” of the conclusions of a review that {verb} its "
            "care homes as “failing in almost every respect”.")
    q = extract_text(text)["quotes"]
    assert "Harwick Council" not in set(q[q["text"].str.startswith("failing")]["speaker"])
