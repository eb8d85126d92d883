#!/usr/bin/env bash
# Render every meeting pack the examples make, the way a chair would see it: the xlsx
# through LibreOffice and the HTML through headless Chromium, both to A4 PDF and to PNG
# pages, then run the render tests on the PDFs. Outputs land in ${RENDER_DIR:-build/render}
# for a person to look at, page by page.
#
# Packs: score (full meeting pack and --audience learning), one agency's feedback
# (--agency), and compare over three rounds made from the example (scripts/make_rounds.py).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
OUT=${RENDER_DIR:-build/render}
AGENCY=${AGENCY:-Police}
mkdir -p "$OUT"
rm -rf "${OUT:?}"/*

"$BIN/python" scripts/make_rounds.py "$OUT/rounds"
for ext in html xlsx md; do
  "$BIN/jtai-audit" score examples/ --output "$OUT/meeting.$ext" 2>>"$OUT/log"
  "$BIN/jtai-audit" score examples/ --audience learning --output "$OUT/learning.$ext" 2>>"$OUT/log"
  "$BIN/jtai-audit" score examples/ --agency "$AGENCY" --output "$OUT/agency.$ext" 2>>"$OUT/log"
  "$BIN/jtai-audit" compare "$OUT"/rounds/round-{1,2,3}.xlsx --output "$OUT/compare.$ext" \
    --label "Spring 2025" --label "Autumn 2025" --label "Spring 2026" 2>>"$OUT/log"
done

PROFILE=$(mktemp -d)
LO_PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE" "$LO_PROFILE"' EXIT
# No network: every flag that would make Chromium phone home is off.
CHROMIUM=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$PROFILE")

"${CHROMIUM[@]}" --hide-scrollbars --screenshot="$OUT/meeting.png" --window-size=1280,2400 \
  "file://$(realpath "$OUT/meeting.html")" 2>/dev/null
for pack in meeting learning agency compare; do
  "${CHROMIUM[@]}" --no-pdf-header-footer --print-to-pdf="$OUT/$pack-html.pdf" \
    "file://$(realpath "$OUT/$pack.html")" 2>/dev/null
  libreoffice -env:UserInstallation="file://$LO_PROFILE" --headless \
    --convert-to pdf --outdir "$OUT" "$OUT/$pack.xlsx" >/dev/null
  mv "$OUT/$pack.pdf" "$OUT/$pack-xlsx.pdf"
  pdftoppm -png -r 60 "$OUT/$pack-html.pdf" "$OUT/$pack-html"
  pdftoppm -png -r 60 "$OUT/$pack-xlsx.pdf" "$OUT/$pack-xlsx"
done
echo "rendered into $OUT:"
for pdf in "$OUT"/*.pdf; do
  echo "  $(basename "$pdf"): $(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}') pages"
done
JTAI_RENDER=1 RENDER_DIR="$OUT" "$BIN/pytest" -q -p no:cacheprovider tests/render
# The workspace (jtai-audit serve) in Debian's chromium, driven by Playwright: the round as a
# person clicks it and by keyboard alone, axe-core on every page; screenshots in $OUT/workspace.
JTAI_BROWSER=1 RENDER_DIR="$OUT" "$BIN/pytest" -q -p no:cacheprovider tests/workspace/test_browser.py
