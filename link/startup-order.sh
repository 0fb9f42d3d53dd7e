#!/bin/sh
# Writes link/startup.order: the functions a first run executes, for the linker to place next to
# each other (build.rs passes the file to lld as --symbol-ordering-file). Scattered over 9 MB of
# code, the functions an estimate runs touched ninety 64 KB windows, each a page fault in every
# run; placed together they take about twenty. Regenerate after large changes (a stale list only
# costs start-up time: names no longer in the binary are ignored):
#
#   cargo build --release && cp target/release/closednet /tmp/closednet.release
#   cargo bench --no-run && link/startup-order.sh /tmp/closednet.release target/release/closednet
#
# Each binary given adds its names: `cargo build --release` and `cargo bench` build the same code
# under different symbol hashes (the profile is part of them), so the list names both, for the
# README's release binary and the one the benchmark's ratios time.
#
# Needs valgrind. The order: what `--version` runs (every command runs it), then what the
# commands below add, each function once.
set -eu
[ $# -gt 0 ] || set -- target/release/closednet
out=$(dirname "$0")/startup.order
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
run() {
    n=$((n + 1))
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$tmp/$n.out" "$bin" "$@" >/dev/null 2>&1 || true
}
for bin in "$@"; do
    run --version
    run estimate examples/article.yaml
    run estimate examples/landing-zone.yaml
    run estimate examples/aks-baseline.yaml
    run check examples/article.yaml
    run estimate examples/article.yaml --format json
    nm --defined-only "$bin" | awk '$2 ~ /^[tTwW]$/ { print $3 }' >>"$tmp/defined"
done
# The functions each profile names (fn= and cfn= lines, name given on first use), those defined
# in a binary's text, in profile order.
sort -u -o "$tmp/defined" "$tmp/defined"
for i in $(seq 1 "$n"); do
    sed -n 's/^c\{0,1\}fn=([0-9]*) \(.*\)$/\1/p' "$tmp/$i.out"
done | awk '!seen[$0]++' >"$tmp/seen"
awk 'NR == FNR { defined[$0] = 1; next } defined[$0]' "$tmp/defined" "$tmp/seen" >"$out"
echo "wrote $out: $(wc -l <"$out") functions"
