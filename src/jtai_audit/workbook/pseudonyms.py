"""The one check that keeps children's identities out of every output.

`case_id` must be a pseudonym: a value that looks like an NHS number (ten digits passing
the modulus-11 check) or a person's name (two or more capitalised words) is refused, the
cell named and the value never echoed. The reader, `validate` and `sample` all ask here.
"""

from __future__ import annotations

import re


def looks_like_nhs_number(value: str) -> bool:
    """Ten digits passing the NHS modulus-11 check (spaces and hyphens allowed)."""
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:['’-][A-Za-z][a-z]*)*$")


def looks_like_name(value: str) -> bool:
    """Two or more capitalised words, as a person's name is written."""
    words = value.split()
    return len(words) >= 2 and all(_NAME_WORD.match(w) for w in words)


def pseudonym_problem(value: object, column: str = "case_id") -> str | None:
    """Why a case id is not a pseudonym, in words that never echo it; None when it is one."""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    text = text.strip()
    if looks_like_nhs_number(text):
        return f"{column} looks like an NHS number; use a pseudonym"
    if looks_like_name(text):
        return f"{column} looks like a person's name; use a pseudonym"
    return None
