#!/usr/bin/env bash
# Every output of every command on every fixture, with SOURCE_DATE_EPOCH pinned, into DIR:
# run before and after a refactor and `diff -r` the two folders (byte for byte).
set -uo pipefail
cd "$(dirname "$0")/.."
DEST=${1:?usage: scripts/capture_outputs.sh DIR}
# Outputs name their own paths ("wrote …"), so every run writes in the same folder first.
OUT=${TMPDIR:-/tmp}/jtai-capture
# Two captures at once (two worktrees) would share that folder: the second waits.
exec 9>"$OUT.lock"; flock 9
BIN=${BIN:-.venv/bin}
J="$BIN/jtai-audit"
export SOURCE_DATE_EPOCH=1767225600 COLUMNS=80
rm -rf "$OUT"; mkdir -p "$OUT"
run() {  # name, then the command: stdout, stderr and the exit code are all kept
  local name=$1; shift
  "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; echo $? >"$OUT/$name.rc"
}
inputs=(examples/cases.xlsx tests/fixtures/*.xlsx tests/fixtures/*.csv tests/bad_input/*)
for f in "${inputs[@]}"; do
  b=$(basename "$f")
  for fmt in table json jsonl csv markdown html; do run "score-$b.$fmt" "$J" score "$f" --format "$fmt"; done
  run "score-$b.xlsx" "$J" score "$f" --output "$OUT/score-$b.report.xlsx"
  for fmt in text json; do run "validate-$b.$fmt" "$J" validate "$f" --format "$fmt"; done
done
run score-batch.json "$J" score examples tests/fixtures --format json
run template "$J" template --output "$OUT/template.xlsx"
run sample "$J" sample examples/cases.xlsx --size 12 --by area --seed 7
run moderate "$J" moderate examples/cases.xlsx tests/fixtures/libreoffice_messy.xlsx --format json
"$J" score examples/cases.xlsx --format json >"$OUT/round.json" 2>/dev/null
run compare "$J" compare "$OUT/round.json" "$OUT/round.json" --format json
# A round as a partnership runs it: agency returns merged, each agency's part, the
# learning summary, last round's action plan carried, and the trend over three rounds.
run merge "$J" merge examples/returns --output "$OUT/merged.xlsx"
for fmt in text json csv; do run "merge.$fmt" "$J" merge examples/returns --format "$fmt"; done
for fmt in table json csv markdown html; do
  run "returns.$fmt" "$J" score examples/returns --format "$fmt"
  run "merged.$fmt" "$J" score "$OUT/merged.xlsx" --format "$fmt"
  run "agency.$fmt" "$J" score examples/returns --agency Police --format "$fmt"
  run "learning.$fmt" "$J" score examples/cases.xlsx --audience learning --format "$fmt"
done
run returns.xlsx "$J" score examples/returns --output "$OUT/returns.report.xlsx"
run agency.xlsx "$J" score examples/returns --agency Police --output "$OUT/agency.report.xlsx"
run learning.xlsx "$J" score examples/cases.xlsx --audience learning --output "$OUT/learning.report.xlsx"
run actions.json "$J" score examples/cases.xlsx --actions "$OUT/score-cases.xlsx.report.xlsx" --format json
run actions.xlsx "$J" score examples/cases.xlsx --actions "$OUT/score-cases.xlsx.report.xlsx" --output "$OUT/actions.report.xlsx"
"$BIN/python" scripts/make_rounds.py "$OUT/rounds" >/dev/null
for fmt in table json markdown html; do
  run "compare3.$fmt" "$J" compare "$OUT"/rounds/round-{1,2,3}.xlsx --format "$fmt" \
    --label "Spring 2025" --label "Autumn 2025" --label "Spring 2026"
done
run compare3.xlsx "$J" compare "$OUT"/rounds/round-{1,2,3}.xlsx --output "$OUT/compare3.report.xlsx"
for rule in $("$J" rubric show rubrics/jtai-domestic-abuse.yaml --full 2>/dev/null | sed -n 's/^ *-\{0,1\} *id: \([A-Z][A-Z0-9]*-[0-9A-Za-z]*\)$/\1/p'); do
  run "explain-$rule" "$J" explain "$rule"
done
for r in rubrics/jtai-domestic-abuse.yaml tests/rubrics/minimal.yaml tests/rubrics/broken/*.yaml; do
  b=$(basename "$r")
  run "check-$b" "$J" rubric check "$r" --format json
  run "test-$b" "$J" rubric test "$r"
done
run show "$J" rubric show rubrics/jtai-domestic-abuse.yaml
run show-full "$J" rubric show rubrics/jtai-domestic-abuse.yaml --full
run schema "$J" rubric schema
# xlsx files are zips: keep them byte for byte, and their sheets as text for a readable diff
for x in "$OUT"/*.xlsx; do "$BIN/python" - "$x" >"$x.txt" <<'PY'
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
for ws in book.worksheets:
    print("#", ws.title)
    for row in ws.iter_rows(values_only=True):
        print(row)
PY
done
rm -rf "$DEST"; mv "$OUT" "$DEST"
ls "$DEST" | wc -l
