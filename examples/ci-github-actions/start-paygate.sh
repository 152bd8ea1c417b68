#!/usr/bin/env bash
# Starts a test-mode Paygate gateway (`npx pg-cli dev --test-mode`) in the background and returns
# once GET /ready answers 200. Prints the base URL on stdout, and writes it as the `url` output
# when run by GitHub Actions ($GITHUB_OUTPUT). The gateway keeps running after this returns.
#
# Settings (environment variables):
#   PAYGATE_PORT           port to listen on (default 8000)
#   PAYGATE_FLAGS          more `pg-cli dev` flags, e.g. "--data-dir memory" (default none)
#   PAYGATE_READY_TIMEOUT  seconds to wait for /ready (default 60)
#   PAYGATE_LOG            file for the gateway's output (default paygate.log)
#   PAYGATE_PID_FILE       file for the gateway's process group id (default paygate.pid); stop the
#                          gateway with: kill -- -"$(cat paygate.pid)"
#                          (the group, since npx runs pg-cli as a child that outlives npx's own pid)
# pg-cli must be installed in the project (a devDependency): --no-install never downloads it.
set -euo pipefail

port="${PAYGATE_PORT:-8000}"
flags="${PAYGATE_FLAGS:-}"
timeout="${PAYGATE_READY_TIMEOUT:-60}"
log="${PAYGATE_LOG:-paygate.log}"
pid_file="${PAYGATE_PID_FILE:-paygate.pid}"
url="http://127.0.0.1:${port}"

# In a session of its own (setsid), so that its process group is npx and pg-cli together and one
# signal to the group stops both. PAYGATE_FLAGS is a list of words, split on purpose.
# shellcheck disable=SC2086
setsid npx --no-install pg-cli dev --test-mode --port "$port" $flags >"$log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pid_file"

deadline=$((SECONDS + timeout))
until curl --silent --fail --output /dev/null --max-time 2 "$url/ready"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "pg-cli dev exited before it was ready. Its output ($log):" >&2
    cat "$log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "Paygate was not ready at $url/ready after ${timeout}s. Its output ($log):" >&2
    cat "$log" >&2
    kill -- -"$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.5
done

if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "url=$url" >>"$GITHUB_OUTPUT"; fi
echo "$url"
