"""The quick first-word test in `mentions` never hides a phrase the whole-word pattern finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jtai_audit.conditions.phrases import lexicon_pattern, mentions, scannable
from jtai_audit.rubric.loader import load_rubric

LEXICONS = load_rubric(None).model.lexicons
_PLAIN = sorted({w for lexicon in LEXICONS.values() for p in lexicon.phrases
                 for w in p.replace("-", " ").split()})
# The same words as people type them: upper case, Word's quotes, and letters that a
# case-insensitive pattern matches though lower-casing does not show it (ı, İ, ſ, K).
WORDS = sorted({*_PLAIN, *(w.upper() for w in _PLAIN), *(w.replace("'", "’") for w in _PLAIN),
                *(w.replace("i", "ı") for w in _PLAIN), *(w.replace("i", "İ") for w in _PLAIN),
                *(w.replace("s", "ſ") for w in _PLAIN), *(w.replace("k", "\u212a") for w in _PLAIN),
                "the", "child", "Parties", "PARTY", "’", "'", '"', "“", "-", "–", "ies", "s"})


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


def test_a_dotless_i_matches_as_the_pattern_matches_it() -> None:
    assert mentions("Mum kept taking hım back", ("kept taking him back",))
    assert mentions("KEPT TAKİNG HIM BACK", ("kept taking him back",))


def test_a_one_word_phrase_is_found_in_its_plural() -> None:
    assert mentions("two Parties to the row", ("party",))
    assert not mentions("a partition", ("party",))
