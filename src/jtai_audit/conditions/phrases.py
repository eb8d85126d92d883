"""Phrase matching for language rules (LANG-1).

Whole words, case-insensitive, plurals allowed; words inside quotation marks are somebody's
own words and are not held against the record. A bare common word is never a phrase on its
own: the rubric check refuses one-word phrases from a short list of everyday words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<![A-Za-z])'[^']*'(?![A-Za-z])")
COMMON_WORDS = frozenset({"witnessed", "witness", "fight", "argument", "row", "incident",
                          "conflict", "abuse", "relationship", "parent", "mother", "father"})


@dataclass(frozen=True, slots=True)
class Match:
    """One phrase found in a text field, and the lexicon (kind) it belongs to."""

    phrase: str
    kind: str


def _plural(word: str) -> str:
    """Let the last word take an English plural (tiff/tiffs, choice/choices, party/parties)."""
    escaped = re.escape(word)
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return escaped[:-1] + "(?:y|ies)"
    return escaped + "(?:s|es)?"


@lru_cache(maxsize=1024)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A whole-word pattern for one phrase; runs of spaces and hyphens match each other."""
    words = re.split(r"[\s-]+", phrase.strip())
    parts = [re.escape(w).replace("'", "['’]") for w in words[:-1]]
    parts.append(_plural(words[-1]).replace("'", "['’]"))
    return re.compile(r"(?<![\w'’])" + r"[\s-]+".join(parts) + r"(?![\w’])", re.IGNORECASE)


@lru_cache(maxsize=256)
def lexicon_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """All of a lexicon's phrases as one pattern, so a note is scanned once per lexicon."""
    return re.compile("|".join(f"(?:{phrase_pattern(p).pattern})" for p in phrases),
                      re.IGNORECASE)


_TOKEN = re.compile(r"[\w']+")


@lru_cache(maxsize=256)
def _needs(phrases: tuple[str, ...]) -> tuple[tuple[frozenset[str], str], ...] | None:
    """For each phrase, what a note must hold for it to match at all (all lower-cased).

    Every word but the last as a whole word of the note, and the last word (which may take
    a plural: party, parties, so its stem) somewhere in the text. A word the note's words
    could never equal (punctuation inside it) is left to the text test of the last word.
    """
    found = []
    for phrase in phrases:
        if _folded(phrase) is None:
            return None  # a phrase in other letters: only the pattern can tell
        words = [w.lower() for w in re.split(r"[\s-]+", phrase.strip().translate(_PLAIN)) if w]
        if not words:
            continue
        *head, last = words
        stem = last[:-1] if last.endswith("y") and len(last) > 1 else last
        whole = frozenset(w for w in head if _TOKEN.fullmatch(w))
        found.append((whole, stem))
    return tuple(found)


# Word-processor punctuation with a plain equivalent; any other non-ASCII letter may match
# a pattern in ways lower-casing does not show (`ı` matches `i`), so such a note always
# goes to the pattern itself.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                        "\u00a0": " "})


@lru_cache(maxsize=64)
def _folded(text: str) -> str | None:
    """The text lower-cased for the quick test, or None when only the pattern can tell."""
    plain = text.translate(_PLAIN)
    return plain.lower() if plain.isascii() else None


@lru_cache(maxsize=64)
def _words(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(_folded(text) or ""))


@lru_cache(maxsize=256)
def mentions(text: str, phrases: tuple[str, ...], exclusions: tuple[str, ...] = ()) -> bool:
    """Whether any phrase appears outside quotation marks and outside the exclusions.

    Remembered, because a rule's conditions and its evidence ask it of the same note.
    Most notes hold no listed phrase at all: testing that each phrase's words are there
    (a set lookup and a substring test) settles those without the much slower pattern.
    """
    if not phrases:
        return False
    folded, needs = _folded(text), _needs(phrases)
    if folded is not None and needs is not None:
        words = _words(text)
        if not any(stem in folded and head <= words for head, stem in needs):
            return False
    return lexicon_pattern(phrases).search(scannable(text, exclusions)) is not None


@lru_cache(maxsize=64)
def strip_quotes(text: str) -> str:
    """Blank out quoted speech so it is never matched, keeping the rest of the text."""
    return _QUOTED.sub(" ", text)


@lru_cache(maxsize=64)
def scannable(text: str, exclusions: tuple[str, ...] = ()) -> str:
    """The text a lexicon may match, with quotations and excluded names blanked out.

    A programme called "Reducing Parental Conflict" is not the phrase "parental conflict".
    """
    unquoted = strip_quotes(text)
    return lexicon_pattern(exclusions).sub(" ", unquoted) if exclusions else unquoted


def find_phrases(text: str, lexicons: Iterable[tuple[str, Iterable[str], Iterable[str]]]
                 ) -> list[Match]:
    """Every lexicon phrase found outside quotation marks and exclusions, in lexicon order."""
    found: list[Match] = []
    for kind, phrases, exclusions in lexicons:
        phrases, exclusions = tuple(phrases), tuple(exclusions)
        if not mentions(text, phrases, exclusions):
            continue
        rest = scannable(text, exclusions)
        for phrase in phrases:
            if phrase_pattern(phrase).search(rest):
                found.append(Match(phrase, kind))
    return found
