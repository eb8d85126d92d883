"""The quick first-word test in `mentions` never hides a phrase the whole-word pattern finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jtai_audit.conditions.phrases import lexicon_pattern, mentions, scannable
from jtai_audit.rubric.loader import load_rubric

LEXICONS = load_rubric(None).model.lexicons
WORDS = sorted({w for lexicon in LEXICONS.values() for p in lexicon.phrases
                for w in p.replace("-", " ").split()} | {"the", "child", "Parties", "PARTY",
                                                         "’", "'", '"', "-", "ies", "s"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.sampled_from(sorted(LEXICONS)),
       st.sampled_from([" ", "  ", "-", " \u00a0"]))
def test_mentions_agrees_with_the_whole_word_pattern(words: list[str], kind: str,
                                                     joiner: str) -> None:
    text = joiner.join(words)
    lexicon = LEXICONS[kind]
    phrases, exclusions = tuple(lexicon.phrases), tuple(lexicon.exclusions)
    slow = lexicon_pattern(phrases).search(scannable(text, exclusions)) is not None
    assert mentions(text, phrases, exclusions) is slow


def test_a_one_word_phrase_is_found_in_its_plural() -> None:
    assert mentions("two Parties to the row", ("party",))
    assert not mentions("a partition", ("party",))
