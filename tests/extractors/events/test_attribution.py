"""Claimants: who a sentence says asserts what it reports."""

from __future__ import annotations

import pytest

from extractors.events.attribution import find_claimant, find_speaker, may_attribute, may_attribute_each
from extractors.events.entities import find_entities
from extractors.events.sentences import split_sentences


def claimant(sentence: str, anchor_text: str | None = None) -> str | None:
    anchor = sentence.index(anchor_text) if anchor_text else None
    return find_claimant(sentence, 0, len(sentence), find_entities(sentence), None, anchor)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("According to the Pentagon, 10,000 soldiers are in Russia.", "Pentagon"),
        ("According to official reports, one person was killed.", "official reports"),
        ("According to a report in the New York Times, losses are high.", "New York Times"),
        ("The USA, however, reported that it knew of 3,000 soldiers.", "United States"),
        ("US officials had previously warned that 10,000 soldiers could be deployed.", "US officials"),
        ("Five were hurt, the regional governor Oleh Synyehubov said on Telegram.", "Synyehubov"),
        ('"We will respond," said Volodymyr Selenskyj.', "Zelensky"),
        ("Police said nine soldiers were killed near Mogadishu.", "Police"),
        ("Nine soldiers were killed near Mogadishu on Monday.", None),
        ("It said nothing more.", None),
        # An aside between the speaker and the verb is not the speaker.
        ("Trump, speaking to a veterans group in Virginia, said he would order a review.", "Trump"),
        ("The health ministry, in a statement, said 12 people died.", "health ministry"),
        ("Rendell, a Clinton surrogate, said he had battled pneumonia.", "Rendell"),
        ("Marc H. Morial, the chief executive of the league, forcefully said the plan would fail.", "Morial"),
        ("Just the day before, the White House had spoken of up to 8,000 soldiers.", "White House"),
        # "States" in a name is no speech verb.
        ("Donald Trump told veterans that the United States' military is depleted.", "Trump"),
        ("Back then, the United States pledged that it would help.", None),
        # A claimant is a name or says who speaks; a piece of a clause is none.
        ("Attorneys for the victims said the video showed him with his hands raised.", "Attorneys for the victims"),
        ("The Republican nominee and his aides haven't said much about the debate.", None),
        ("Say Mexico demanded that the United States prove it, he wrote.", None),
        ("On Sunday, the paper published portions of the returns.", None),
        ("According to kyiv, Russian attacks killed two people.", "Kyiv"),
        # what a named person has speaks, not the person
        ("However, Bryan Pagliano's lawyer has said he will refuse to answer any questions.", "Pagliano's lawyer"),
        ("Prosecutors said the subpoena failed because of Bryan Pagliano's Fifth Amendment claims.", "Prosecutors"),
    ],
)
def test_claimants(sentence: str, expected: str | None) -> None:
    found = claimant(sentence)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found


def test_the_claim_nearest_before_the_figure_wins() -> None:
    sentence = "Zelensky said the White House had spoken of up to 8,000 soldiers."
    assert claimant(sentence, "8,000") == "White House"


def test_he_said_takes_the_last_person_named() -> None:
    text = "President Kim Jong Un visited the front. He said 500 officers were there."
    people = [m for m in find_entities(text) if m.kind == "person"]
    start = text.index("He said")
    assert find_claimant(text, start, len(text), [], people) == people[-1].canonical


def test_the_cheap_check_finds_speech_words_behind_punctuation() -> None:
    assert may_attribute('"We are ready," said Zelensky.')
    assert may_attribute("Ten soldiers died, according to Kyiv.")
    assert not may_attribute("Ten soldiers died near Kyiv.")


def test_may_attribute_each_answers_as_may_attribute_does() -> None:
    text = (
        "Said the minister: “Yes.” Officials (said) it.\n"
        "Quoting-said noted… «Claims» words,said. ‘Reports’ sayings x'said\n"
        "Nothing here. Estimates\tvary, AS REPORTED BY the BBC."
    )
    sentences = split_sentences(text)
    expected = [may_attribute(text[s.start : s.end]) for s in sentences]
    assert True in expected and False in expected
    assert may_attribute_each(text, sentences) == expected
    # A character that lowers to two ("İ") moves the offsets: the answer is asked sentence by sentence.
    shifted = "İstanbul said so. Nothing here."
    assert may_attribute_each(shifted, split_sentences(shifted)) == [True, False]


@pytest.mark.parametrize(
    ("sentence", "verb", "expected"),
    [
        ("President Obama condemned the test as provocative.", "condemned", "Obama"),
        ("South Korea accused the North's leader of recklessness.", "accused", "South Korea"),
        ("The health ministry has urged residents to stay indoors.", "urged", "health ministry"),
        ("He's alleging that someone entered his property.", "alleging", "Moore"),
        # no subject of the act: a noun, a passive, an infinitive, a time, a clause
        ("The complaint is based on conduct standards.", "complaint", None),
        ("House Speaker Tim Moore is accused of interfering.", "accused", None),
        ("He bills himself as a moderate Democrat willing to criticize his party.", "criticize", None),
        ("Last week the group called for supporters to assemble.", "called", None),
        ("There was one day I asked Gary about the smell.", "asked", None),
    ],
)
def test_the_speaker_of_a_verbal_act_is_the_subject_of_its_verb(sentence: str, verb: str, expected: str | None) -> None:
    earlier = find_entities("House Speaker Tim Moore spoke.")
    people = [m for m in earlier if m.kind == "person"]
    assert find_speaker(sentence, 0, sentence.index(verb), find_entities(sentence), people) == expected
