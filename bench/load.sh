# Sourced by bench scripts: a bounded CPU load beside a run, one busy loop per CPU
# (`yes >/dev/null`), each ended by `timeout` after LOAD_SECONDS at most (default 900)
# and by stop_load, which the sourcing script calls from its EXIT trap.
load_pids=()

start_load() {
  local n
  for n in $(seq "$(nproc)"); do
    timeout "${LOAD_SECONDS:-900}" yes >/dev/null &
    load_pids+=($!)
  done
}

stop_load() {
  local pid
  for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${load_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  load_pids=()
}
