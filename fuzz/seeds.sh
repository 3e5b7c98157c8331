#!/bin/sh
# seeds.sh: gathers a fuzz target's starting inputs into a folder.
#
#   fuzz/seeds.sh TARGET FOLDER
#
# From the repository: tests/fuzz/seeds/TARGET and tests/fuzz/regress/TARGET,
# and the examples and test fixtures that fit the target; from outside it,
# read where they are and never copied into the repository: the post mortems
# of ../shared/corpus and the system's zone files. Multi-file inputs (the chat
# exports, a post mortem with its metrics) are joined with the "-8<-" line
# of fuzz/fuzz.h.
set -eu

target=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${DEBRIEF_CORPUS:-$root/../shared/corpus}
mkdir -p "$out"

# Copies each file named to OUT under a name made from its path.
add() {
    for f in "$@"; do
        [ -f "$f" ] || continue
        name=$(echo "${f#"$root"/}" | sed 's|^\(\.\./\)*||; s|^/||' | tr '/' '_')
        cp "$f" "$out/$name"
    done
}

sep() { printf '\n-8<-\n'; }

add "$root"/tests/fuzz/seeds/"$target"/* "$root"/tests/fuzz/regress/"$target"/*

case $target in
lint)
    add "$root"/examples/*.md "$root"/tests/golden/*.md "$root"/tests/fixtures/import/*.md \
        "$corpus"/*.md
    ;;
render)
    add "$root"/tests/golden/*.md "$corpus"/*.md
    # Each example with the metrics files it names, in the order it names them.
    for md in "$root"/examples/*.md; do
        name=$(basename "$md" .md)
        {
            cat "$md"
            for m in $(sed -n 's/^ *- file: *//p' "$md"); do
                sep
                cat "$root/examples/$m" 2>/dev/null || true
            done
        } >"$out/example-$name"
    done
    ;;
clock)
    # Lines of the examples' timelines: the times as people write them.
    i=0
    grep -h -E '^[-*|] .*[0-9]:[0-9]' "$root"/examples/*.md "$corpus"/*.md 2>/dev/null |
        head -n 400 | while IFS= read -r line; do
            i=$((i + 1))
            printf '%s' "$line" | cut -c1-80 >"$out/timeline-line-$i"
        done
    ;;
tzif)
    zones=${TZDIR:-/usr/share/zoneinfo}
    for z in UTC Europe/Paris America/Los_Angeles America/Sao_Paulo Australia/Lord_Howe \
        Asia/Kolkata Pacific/Chatham Africa/Casablanca Antarctica/Troll; do
        add "$zones/$z"
    done
    ;;
metrics)
    add "$root"/examples/metrics/* "$root"/tests/fixtures/metrics/*
    ;;
slack)
    f=$root/tests/fixtures/import/slack
    for day in "$f"/*/*.json; do
        { cat "$day"; sep; cat "$f/users.json"; sep; cat "$f/channels.json"; sep;
          cat "$root/tests/fixtures/import/roles.yml"; } >"$out/fixture-$(basename "$(dirname "$day")")-$(basename "$day")"
    done
    ;;
mattermost)
    add "$root"/tests/fixtures/import/mattermost/*.jsonl
    ;;
esac
