#!/usr/bin/env bash
# Render the meeting reports the way a chair would see them: the xlsx through LibreOffice
# (to PDF, then PNG pages) and the HTML through headless Chromium (a screenshot), then run
# the render tests. Outputs land in ${RENDER_DIR:-build/render} for a person to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
OUT=${RENDER_DIR:-build/render}
mkdir -p "$OUT"
rm -f "$OUT"/meeting.*
"$BIN/jtai-audit" score examples/ --output "$OUT/meeting.html"
"$BIN/jtai-audit" score examples/ --output "$OUT/meeting.xlsx"

PROFILE=$(mktemp -d)
LO_PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE" "$LO_PROFILE"' EXIT

# No network: every flag that would make Chromium phone home is off.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$PROFILE" --hide-scrollbars \
  --screenshot="$OUT/meeting.png" --window-size=1280,2400 \
  "file://$(realpath "$OUT/meeting.html")" 2>/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$PROFILE" --no-pdf-header-footer \
  --print-to-pdf="$OUT/meeting-html.pdf" "file://$(realpath "$OUT/meeting.html")" 2>/dev/null

libreoffice -env:UserInstallation="file://$LO_PROFILE" --headless \
  --convert-to pdf --outdir "$OUT" "$OUT/meeting.xlsx" >/dev/null
if command -v pdftoppm >/dev/null; then
  pdftoppm -png -r 60 "$OUT/meeting.pdf" "$OUT/meeting-xlsx"
  pdftoppm -png -r 50 -l 4 "$OUT/meeting-html.pdf" "$OUT/meeting-print"
fi
echo "rendered into $OUT:"
ls -1 "$OUT"
JTAI_RENDER=1 RENDER_DIR="$OUT" "$BIN/pytest" -q tests/render
