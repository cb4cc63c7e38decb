# Shared by the scripts in tests/containers (sourced, not run).
#
#   TAP output: one "ok N - ..." / "not ok N - ..." line per check, appended to $P2PMESH_TAP (and echoed);
#   tap_finish adds the "1..N" plan and node-style "# pass N" / "# fail M" lines.
#   Our podman objects: every container, pod, volume and network carries the labels
#   p2pmesh.test=containers, p2pmesh.run=<run id> and p2pmesh.owner=<pid of the script that owns the run>,
#   so a run removes exactly its own objects, and leftovers of runs whose owner died (aborted, killed)
#   are found and removed by the next run without touching a run still in progress.

# CONTAINERS_CONF for podman on this kind of machine: runc (crun fails on setrlimit here) and ulimits.
containers_conf() {
  local dir="$1"
  mkdir -p "$dir"
  cat >"$dir/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=8192:8192"]

[engine]
runtime = "runc"
EOF
  export CONTAINERS_CONF="$dir/containers.conf"
}

# TAP: tap_init, tap_ok, tap_not_ok, tap_failed, tap_finish (tests/tap.sh).
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

# check "description" command args...: ok when the command exits 0; its output is the diagnostic otherwise.
check() {
  local name="$1" out
  shift
  if out="$("$@" 2>&1)"; then
    tap_ok "$name"
  else
    tap_not_ok "$name" "$out"
  fi
}

# Waits up to $1 seconds for command $2... to succeed; its last output is printed on failure (exit 1).
# With EVENTUALLY_ABORT set to a command, each failed try also runs that command, and when it fails the wait
# stops at once (exit 2) with both outputs: the wait cannot succeed any more (mesh.sh: a container died).
eventually() {
  local deadline=$((SECONDS + $1)) out abort
  shift
  while :; do
    if out="$("$@" 2>&1)"; then
      return 0
    fi
    if [ -n "${EVENTUALLY_ABORT:-}" ] && ! abort="$("$EVENTUALLY_ABORT" 2>&1)"; then
      printf '%s\ngave up at once: %s\n' "$out" "$abort"
      return 2
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$out"
      return 1
    fi
    sleep 1
  done
}

# The podman list commands of the objects a run creates: containers, pods, volumes, networks.
_LISTS=("ps -a" "pod ls" "volume ls" "network ls")

# Removes every podman object of run $1 (all our labels when $1 is empty: don't).
remove_run() {
  local run="$1" filter="label=p2pmesh.run=$1"
  [ -n "$run" ] || return 0
  podman pod ls -q --filter "$filter" | xargs -r podman pod rm -f -t 2 >/dev/null 2>&1 || true
  podman ps -aq --filter "$filter" | xargs -r podman rm -f -t 2 >/dev/null 2>&1 || true
  podman volume ls -q --filter "$filter" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
  podman network ls -q --filter "$filter" | xargs -r podman network rm -f >/dev/null 2>&1 || true
}

# Lists "run owner" for every object of ours (containers, pods, volumes, networks), one line each, unique.
_our_runs() {
  local list
  for list in "${_LISTS[@]}"; do
    # shellcheck disable=SC2086 # $list is a podman subcommand and its flag
    podman $list --filter label=p2pmesh.test=containers --format '{{index .Labels "p2pmesh.run"}} {{index .Labels "p2pmesh.owner"}}'
  done 2>/dev/null | awk 'NF == 2' | sort -u
}

# Removes the objects of earlier runs whose owner process is gone (aborted or killed runs).
remove_leftovers() {
  local run owner
  _our_runs | while read -r run owner; do
    if ! kill -0 "$owner" 2>/dev/null; then
      echo "removing leftovers of aborted run $run (owner $owner is gone)"
      remove_run "$run"
    fi
  done
}

# Removes images p2pmesh/*:ct-<pid> that runs tagged for themselves, when <pid> is gone.
remove_leftover_images() {
  local ref pid
  podman images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep -E '/p2pmesh/[a-z-]+:ct-[0-9]+$' | while read -r ref; do
    pid="${ref##*:ct-}"
    kill -0 "$pid" 2>/dev/null || podman rmi -f "$ref" >/dev/null 2>&1 || true
  done
}

# Counts the objects of run $1 still present.
count_run_objects() {
  local list
  for list in "${_LISTS[@]}"; do
    # shellcheck disable=SC2086 # $list is a podman subcommand and its flag
    podman $list -q --filter "label=p2pmesh.run=$1"
  done | wc -l
}
