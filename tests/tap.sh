# TAP output for the shell suites (sourced, not run): tests/containers, tests/faults.
#
#   tap_init FILE: start FILE (emptied); every check appends "ok N - ..." / "not ok N - ..." to it (and echoes it);
#   tap_not_ok takes a diagnostic as its second argument (the last 25 lines, as node's TAP reporter indents them);
#   tap_finish adds the "1..N" plan and node-style "# pass N" / "# fail M" lines, and fails when a check did.

tap_init() {
  export P2PMESH_TAP="$1"
  : >"$P2PMESH_TAP"
}

_tap_next() {
  echo $(( $(grep -cE '^(not )?ok ' "$P2PMESH_TAP" 2>/dev/null || true) + 1 ))
}

tap_ok() {
  local line
  line="ok $(_tap_next) - $*"
  echo "$line" >>"$P2PMESH_TAP"
  echo "$line"
}

tap_not_ok() {
  local line
  line="not ok $(_tap_next) - $1"
  echo "$line" >>"$P2PMESH_TAP"
  echo "$line"
  if [ -n "${2:-}" ]; then
    # A YAML-ish diagnostic block, as node's TAP reporter writes.
    printf '  ---\n%s\n  ...\n' "$(printf '%s\n' "$2" | tail -25 | sed 's/^/  # /')" | tee -a "$P2PMESH_TAP"
  fi
}

tap_failed() { grep -c '^not ok ' "$P2PMESH_TAP" 2>/dev/null || true; }

tap_finish() {
  local total failed
  total=$(( $(_tap_next) - 1 ))
  failed=$(tap_failed)
  {
    echo "1..$total"
    echo "# tests $total"
    echo "# pass $(( total - failed ))"
    echo "# fail $failed"
  } | tee -a "$P2PMESH_TAP"
  [ "$failed" -eq 0 ]
}
