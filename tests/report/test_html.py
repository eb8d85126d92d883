from __future__ import annotations

import itertools
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.report import formatter

from ..conftest import EXAMPLE
from ..golden.fixture import NOTES, meeting_data
from ..golden.helpers import private_texts

runner = CliRunner()
SECTIONS = ("concerns", "letter", "headline", "themes", "areas", "rules", "owners", "actions",
            "agencies", "provenance")
APPENDIX = ("priority", "gaps", "grades", "guide")
URL_ATTRS = {"src", "href", "xlink:href", "action", "data", "poster", "srcset", "background"}


class Page(HTMLParser):
    """Collects what the tests check: headings, sections, header cells, URLs, figures."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.sections: list[str] = []
        self.th_scopes: list[str | None] = []
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        self.attrs.append((tag, found))
        if tag == "html":
            self.lang = found.get("lang")
        if tag in ("h1", "h2", "h3"):
            self.headings.append(tag)
        if tag == "section" and found.get("id"):
            self.sections.append(str(found["id"]))
        if tag == "th":
            self.th_scopes.append(found.get("scope"))
        self.urls += [str(v) for k, v in attrs if k in URL_ATTRS and v is not None]

    handle_startendtag = handle_starttag


def _parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def test_sections_headings_and_table_headers() -> None:
    text = formatter("html")(meeting_data()).decode()
    page = _parse(text)
    assert page.lang == "en-GB"
    assert page.headings.count("h1") == 1 and page.headings[0] == "h1"
    levels = [int(h[1]) for h in page.headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert page.sections == list(SECTIONS)
    assert page.th_scopes and all(s in ("col", "row") for s in page.th_scopes)
    assert "not inspection judgements" in text and "Indicative grades." in text
    for words in ("What is working well", "What needs to improve", "Priority action"):
        assert words in text


def test_appendices_hold_the_per_case_detail_and_the_rules_in_words() -> None:
    data = meeting_data()
    data.appendix = ("cases", "rules")
    page = _parse(formatter("html")(data).decode())
    assert page.sections == [*SECTIONS, *APPENDIX]


def test_loads_nothing_from_outside() -> None:
    text = formatter("html")(meeting_data()).decode()
    page = _parse(text)
    for url in page.urls:
        assert url.startswith(("#", "data:")), url
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert "url(" not in text.replace("url(#", "")
    csp = [a for t, a in page.attrs if t == "meta" and a.get("http-equiv") ==
           "Content-Security-Policy"]
    assert csp and "default-src 'none'" in str(csp[0]["content"])


def test_charts_are_inline_svg_with_labels_and_tables() -> None:
    text = formatter("html")(meeting_data()).decode()
    page = _parse(text)
    assert page.tags.count("figure") == 2 and page.tags.count("figcaption") == 2
    svgs = [a for t, a in page.attrs if t == "svg"]
    assert len(svgs) == 2 and all(a.get("role") == "img" and a.get("aria-label") for a in svgs)
    assert "<img" not in text


def test_escapes_case_supplied_text_and_hides_notes() -> None:
    rows = (("N-1", "<script>alert(1)</script>", 6, "None", "Police", "Yes", "Yes", "Yes",
             None, "SECRET-NOTE"),)
    text = formatter("html")(meeting_data(rows)).decode()
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "SECRET-NOTE" not in text and NOTES not in text


def test_deterministic() -> None:
    assert formatter("html")(meeting_data()) == formatter("html")(meeting_data())


def test_cli_writes_html_for_the_example(tmp_path: Path) -> None:
    out = tmp_path / "meeting.html"
    result = runner.invoke(app, ["score", str(EXAMPLE.parent), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    page = _parse(text)
    assert page.sections == list(SECTIONS)
    assert all(u.startswith(("#", "data:")) for u in page.urls)
    for area in ("Northmoor", "Eastbridge", "Kingsford", "Saltmarsh", "Fernleigh", "Ashcombe"):
        assert area in text
    for secret in private_texts(EXAMPLE):
        assert secret not in text
