#!/usr/bin/env bash
# Runs every fuzz target for the same time, one after the other, each from its seeds (seeds/TARGET)
# and its growing corpus (corpus/TARGET), and prints one line of figures per target.
#
#   fuzz/run-all.sh [SECONDS]        default 300 s per target; needs `cargo install cargo-fuzz`
#
# cargo-fuzz needs nightly features: on a stable toolchain RUSTC_BOOTSTRAP=1 enables them. A crash
# leaves its input in artifacts/TARGET/ and makes the script exit 1 after the other targets ran.
set -u
cd "$(dirname "$0")"
seconds="${1:-300}"
export RUSTC_BOOTSTRAP=1
targets=$(cargo fuzz list) || exit 2
failed=0
for t in $targets; do
    mkdir -p "corpus/$t" "seeds/$t"
    log="target/run-all-$t.log"
    mkdir -p target
    # -timeout: an input slower than 20 s is reported as a hang; -rss_limit_mb is libFuzzer's default.
    if cargo fuzz run "$t" "corpus/$t" "seeds/$t" -- -max_total_time="$seconds" -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        status=ok
    else
        status="FAILED (see $log and artifacts/$t/)"
        failed=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    echo "$t: ${runs:-?} runs, ${rate:-?} exec/s, ${cov:-no coverage line}, peak RSS ${rss:-?} MB, $status"
done
exit "$failed"
