#!/bin/sh
# run.sh: runs libFuzzer targets for a while each and prints what they reached.
#
#   fuzz/run.sh BUILD SECONDS [TARGET...]   (default: every target)
#
# BUILD is a build made with -Dfuzzing=true (make fuzz sets it up). Each
# target starts from a fresh temporary corpus seeded with what
# fuzz/seeds.sh gathers for it (examples, ../shared/corpus, test fixtures,
# tests/fuzz/seeds and tests/fuzz/regress) and with its dictionary
# (fuzz/*.dict). A crash, hang, leak or sanitizer report stops that target,
# leaves the input in BUILD/fuzz-artifacts/TARGET/ and makes the script exit
# 1 after the others have run; keep the input as tests/fuzz/regress/TARGET/NAME
# (docs/FUZZING.md).
set -u

if [ $# -lt 2 ]; then
    echo "usage: fuzz/run.sh BUILD SECONDS [TARGET...]" >&2
    exit 2
fi
build=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-lint clock tzif metrics slack mattermost request render}

summary=$(mktemp)
failed=0
for t in $targets; do
    bin=$build/fuzz/fuzz-$t
    if [ ! -x "$bin" ]; then
        echo "run.sh: no '$bin': build with -Dfuzzing=true first" >&2
        exit 2
    fi
    # The corpus, and the scratch files of the target (its TMPDIR), in one
    # folder removed afterwards, even when a crash kept the target from
    # cleaning up.
    work=$(mktemp -d "${TMPDIR:-/tmp}/debrief-fuzz-$t-XXXXXX")
    corpus=$work/corpus
    mkdir "$work/tmp"
    "$here/seeds.sh" "$t" "$corpus"
    seeds=$(ls "$corpus" | wc -l)
    artifacts=$build/fuzz-artifacts/$t
    mkdir -p "$artifacts"
    log=$build/fuzz-artifacts/$t.log
    dict=
    case $t in slack | mattermost) d=chat ;; render) d=lint ;; *) d=$t ;; esac
    [ -f "$here/$d.dict" ] && dict=-dict=$here/$d.dict
    echo "== fuzz-$t: ${seconds}s from $seeds seeds (log: $log)"
    TMPDIR=$work/tmp \
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
    LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/../tests/lsan.supp:print_suppressions=0} \
        "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" $dict "$corpus" >"$log" 2>&1
    status=$?
    # The last status line of the run: "#N DONE cov: C ft: F corp: ... exec/s: E ..."
    line=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    cov=$(echo "$line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$line" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    if [ $status -eq 0 ]; then
        result=ok
    else
        result=FAILED
        failed=1
        echo "-- fuzz-$t failed (exit $status); the end of its log:"
        grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 20
    fi
    printf '%-11s %10s %8s %7s %7s %6s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
        "${ft:-?}" "${corp:-?}" "$result" >>"$summary"
    rm -rf "$work"
done

echo
printf '%-11s %10s %8s %7s %7s %6s  %s\n' target execs exec/s cov ft corpus result
cat "$summary"
rm -f "$summary"
exit $failed
