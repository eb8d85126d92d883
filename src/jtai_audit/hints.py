"""The did-you-mean hint, written once: a near miss named, never the text that missed.

Header spellings, answer words, field and parameter names and rule ids all take the same
hint, so each caller says only what it compares (`key`) and how close is close (`cutoff`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.75,
            key: Callable[[str], str] = str) -> str | None:
    """The choice `word` most probably meant, compared through `key`; None when none is near."""
    keyed = {key(choice): choice for choice in choices}
    found = difflib.get_close_matches(key(word), list(keyed), n=1, cutoff=cutoff)
    return keyed[found[0]] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.75,
                 key: Callable[[str], str] = str, quote: bool = True) -> str:
    """" — did you mean 'x'?" for a message's end, or "" when nothing is near."""
    match = closest(word, choices, cutoff, key)
    if match is None:
        return ""
    return f" — did you mean '{match}'?" if quote else f" — did you mean {match}?"
