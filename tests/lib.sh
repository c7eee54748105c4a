# tests/lib.sh — sourced by every suite runner (tests/<suite>/run).
#
# A runner calls pass/fail/skip once per case and ends with `summary`, which prints
# "<suite>: N passed, N failed, N skipped" as its last line and sets the exit status.
# tests/run-all adds those lines up. Set VERBOSE=1 to see every passing case.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITE=${SUITE:-$(basename "$(dirname "$0")")}
T_PASS=0
T_FAIL=0
T_SKIP=0

pass() { T_PASS=$((T_PASS + 1)); if [ -n "${VERBOSE:-}" ]; then echo "PASS $*"; fi; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL $*"; }
skip() { T_SKIP=$((T_SKIP + 1)); echo "SKIP $*"; }

# Runs a command; passes the case when it exits 0, fails it (showing its output) otherwise.
check() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then pass "$name"; else fail "$name"; printf '%s\n' "$out" | head -40 | sed 's/^/    /'; fi
}

# True when a tool is on PATH; otherwise prints why the dependent cases are skipped.
have() { command -v "$1" >/dev/null 2>&1; }

summary() {
    echo "$SUITE: $T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
    [ "$T_FAIL" -eq 0 ]
}
