"""Tests of the trigger lexicon: extractors/events/lexicon/triggers.toml and its reader in types.py,
a user's own file added to it, and the extractor that takes that file from the environment."""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from dedup import identify
from extractors.events import RuleExtractor
from extractors.events.types import (
    LEXICON_ENV,
    builtin_lexicon,
    classify_all,
    classify_sentence,
    load_lexicon,
)
from schemas import Article, ParsedArticle, TerminalError

OWN = """
# Triggers of our own, read after the built-in ones.
[sets]
DETAINEES = "CAPTIVES figures"  # a set of one's own may name a built-in one

[[trigger]]
words = "ransack"
kind = "v"
  [[trigger.rule]]
  event_type = "ASSAULT"
  mode = "destroy"
  weight = 0.7

[[trigger]]
words = "intern"
kind = "v"
  [[trigger.rule]]
  event_type = "COERCE"
  mode = "arrest"
  weight = 0.7
  objects = [{ event_type = "COERCE", mode = "arrest", words = "DETAINEES" }]
  need_object = true
  window = 5

[[trigger]]
words = "raid"
kind = "x"
  [[trigger.rule]]
  event_type = "ASSAULT"
  weight = 0.3
"""

RANSACKED = "The rebels ransacked the town hall."
INTERNED = "The junta interned dozens of opposition figures."


def own_lexicon(tmp_path: Path, text: str = OWN) -> Path:
    path = tmp_path / "my_triggers.toml"
    path.write_text(text, "utf-8")
    return path


def test_the_built_in_lexicon_is_read_from_the_file_the_package_ships() -> None:
    rules = builtin_lexicon().rules
    (airstrike,) = {(r.event_type, r.mode, r.weight, r.form) for r in rules["airstrike"]}
    assert airstrike == ("ASSAULT", "air-strike", 0.88, "n")
    assert (rules["airstrikes"][0].event_type, rules["airstrikes"][0].mode) == ("ASSAULT", "air-strike")
    # A verb's every form, each tagged as read; the rule's word lists as written.
    attacked = rules["attacked"][0]
    assert (attacked.event_type, attacked.form, "helicopter" in attacked.not_next) == ("ASSAULT", "ed", True)
    # A named set ("context = POLICE_CONTEXT") and the order of the rules in a bucket.
    raid = rules["raid"]
    assert [(r.event_type, r.mode, r.form) for r in raid[:2]] == [
        ("COERCE", "arrest", "base"),
        ("ASSAULT", "ground-attack", "base"),
    ]
    assert raid[0].context is not None and {"police", "fbi", "prosecutors"} <= raid[0].context
    # A set and words together: "TROOPS positions position lines line offensive".
    push = next(r for r in rules["pushed"] if r.tail)
    assert push.context is not None and {"soldiers", "battalions", "lines"} <= push.context
    # A named object list (MOBILIZED), and a list that takes another in (PROVIDED takes AID_GOODS).
    deploy = rules["deploy"][0]
    assert [(event_type, mode) for _, event_type, mode in deploy.objects] == [
        ("AID", "military"),
        ("MOBILIZE", "police"),
        ("MOBILIZE", "troops"),
        ("MOBILIZE", "weapons"),
    ]
    provide = rules["provided"][0]
    assert [(event_type, mode) for _, event_type, mode in provide.objects][-2:] == [("AID", None), ("COOPERATE", None)]
    # plural_nouns: "supplies" is never read as the verb "supply".
    assert all(rule.form != "s" for rule in rules.get("supplies", ()))
    assert builtin_lexicon() is builtin_lexicon()  # read once


def test_every_trigger_of_the_file_is_in_the_table() -> None:
    text = resources.files("extractors.events").joinpath("lexicon", "triggers.toml").read_text("utf-8")
    triggers = tomllib.loads(text)["trigger"]
    rules = builtin_lexicon().rules
    assert len(triggers) > 400
    for trigger in triggers:
        for word in trigger["words"].split():
            assert word in rules, word


def test_a_file_of_ones_own_adds_triggers_after_the_built_in_ones(tmp_path: Path) -> None:
    path = own_lexicon(tmp_path)
    lexicon = load_lexicon(path)
    assert classify_sentence(RANSACKED) is None and classify_sentence(INTERNED) is None
    ransacked = classify_sentence(RANSACKED, lexicon=lexicon)
    assert ransacked is not None and (ransacked.event_type, ransacked.mode, ransacked.trigger) == (
        "ASSAULT",
        "destroy",
        "ransacked",
    )
    interned = classify_sentence(INTERNED, lexicon=lexicon)
    assert interned is not None and (interned.event_type, interned.mode) == ("COERCE", "arrest")
    # A word the built-in lexicon has keeps its rules first; the new one comes last.
    built_in = builtin_lexicon().rules["raid"]
    assert lexicon.rules["raid"][: len(built_in)] == built_in
    assert (lexicon.rules["raid"][-1].event_type, lexicon.rules["raid"][-1].weight) == ("ASSAULT", 0.3)
    # The built-in lexicon's sentences read as before.
    sentence = "Police raided the offices of the opposition party."
    assert classify_all(sentence, lexicon=lexicon) == classify_all(sentence)
    assert lexicon.digest == hashlib.sha1(path.read_bytes()).hexdigest()[:8]
    assert builtin_lexicon().digest is None


def article(text: str) -> Article:
    (found,) = identify([ParsedArticle(source="t", uri="t:1", title="t", text=text)])
    return found


def test_the_extractor_takes_the_file_the_environment_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = own_lexicon(tmp_path)
    text = f"Rebels held the town.\n\n{RANSACKED}"
    monkeypatch.delenv(LEXICON_ENV, raising=False)
    plain = RuleExtractor()
    assert plain.version == RuleExtractor.version
    assert plain.extract(article(text)).events == []

    monkeypatch.setenv(LEXICON_ENV, str(path))
    own = RuleExtractor()
    digest = hashlib.sha1(path.read_bytes()).hexdigest()[:8]
    assert own.version == f"{RuleExtractor.version}+{digest}"
    extraction = own.extract(article(text))
    assert extraction.extractor == f"rules@{RuleExtractor.version}+{digest}"
    assert [(e.event_type, e.mode, text[e.char_start : e.char_end]) for e in extraction.events] == [
        ("ASSAULT", "destroy", RANSACKED)
    ]

    monkeypatch.setenv(LEXICON_ENV, str(tmp_path / "nowhere.toml"))
    with pytest.raises(TerminalError, match=r"cannot read lexicon .*nowhere\.toml"):
        RuleExtractor()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (OWN.replace("weight = 0.7", "wieght = 0.7", 1), "trigger[1] ('ransack').rule[1].wieght: unknown key"),
        (OWN.replace('"CAPTIVES figures"', '"CAPTIVE figures"'), "sets.DETAINEES: no set named 'CAPTIVE'"),
        (OWN.replace('mode = "destroy"', 'mode = "bombing"'), "rule[1].mode: 'bombing' is not a mode of ASSAULT"),
        (OWN.replace('event_type = "ASSAULT"', 'event_type = "ATTACK"', 1), "rule[1].event_type: 'ATTACK'"),
        (OWN.replace('kind = "v"', 'kind = "verb"', 1), "trigger[1] ('ransack').kind"),
        (OWN.replace("weight = 0.7", "weight = 7", 1), "rule[1].weight: must be a number from 0 to 1"),
        (OWN.replace('words = "ransack"', 'words = "Ransack"'), "trigger[1] ('Ransack').words"),
        (OWN.replace("DETAINEES =", "TROOPS ="), "sets.TROOPS: is defined already"),
        (OWN.replace('words = "DETAINEES"', 'words = "DETAINED"'), "rule[1].objects[1].words: no set named 'DETAINED'"),
        (OWN.replace("window = 5", "window = -1"), "rule[1].window: must be a whole number"),
        ('[[trigger]]\nwords = "ransack"\nkind = "v"\n', "trigger[1] ('ransack').rule: missing"),
        ("[[trigger]]\nwords = 'ransack'\nkind = 'v'\n[[trigger.rule]]\nweight = 0.5", "rule[1].event_type: missing"),
        (OWN.replace("need_object = true", 'need_object = "yes"'), "rule[1].need_object: must be true or false"),
        ('plural_noun = "ransacks"', "plural_noun: unknown key"),
        ("[[trigger]\nwords = 'x'", "is not valid TOML"),
    ],
)
def test_a_mistake_in_a_file_is_named_with_its_key(tmp_path: Path, text: str, where: str) -> None:
    path = own_lexicon(tmp_path, text)
    with pytest.raises(TerminalError) as caught:
        load_lexicon(path)
    message = str(caught.value)
    assert str(path) in message and where in message, message
    assert "\n" not in message.strip()


def test_a_file_of_ones_own_extends_the_modifier_heads_and_the_words_of_public_affairs(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('modifier_heads = "convoy convoys"\npublic_affairs = "tribunal"\n', encoding="utf-8")
    lexicon = load_lexicon(path)
    sentence = "The aid convoy reached the city on Monday."
    assert classify_sentence(sentence) is not None and classify_sentence(sentence, lexicon=lexicon) is None
    assert {"convoy", "group"} <= lexicon.modifier_heads
    assert "tribunal" in lexicon.public_affairs and "tribunal" not in builtin_lexicon().public_affairs
    assert {"police", "election"} <= lexicon.public_affairs
