#!/usr/bin/env bash
# Seconds from `make run` to the first answered POST /qr in a fresh clone: cold (an empty .venv and no
# pip cache, PIP_NO_CACHE_DIR=1: everything downloaded) and warm (the same clone again), and the size
# of the .venv that `make run` made. Loopback only; each run gives up after 600 s.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-8765}
clone=$(mktemp -d)
trap 'pkill -TERM -f "local.server --port $port" 2>/dev/null; rm -rf "$clone"' EXIT
git clone --quiet "$root" "$clone/qr"
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "port $port is already in use" >&2; exit 1; fi

first_answer() {  # $1: label; the rest: environment for make run
  local label=$1; shift
  local start now
  start=$(date +%s.%N)
  (cd "$clone/qr" && env "$@" PORT="$port" make run > "$clone/run-$label.log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 6000); do
    if curl -sf -X POST "http://127.0.0.1:$port/qr" -d '{"url":"https://first.example"}' >/dev/null 2>&1; then
      now=$(date +%s.%N)
      printf '  %-5s first answer after %6.1f s\n' "$label" "$(echo "$now - $start" | bc)"
      break
    fi
    sleep 0.1
  done
  pkill -TERM -f "local.server --port $port"; wait "$pid" 2>/dev/null
}

echo "make run in a fresh clone ($(python3 --version))"
first_answer cold PIP_NO_CACHE_DIR=1
first_answer warm
venv="$clone/qr/.venv"
echo "  .venv after make run: $(du -sm "$venv" | cut -f1) MB"
site=$(echo "$venv"/lib/python*/site-packages)
extra=$(ls "$site" | grep -iE '^(aws_cdk|playwright|pytest|_pytest|ruff|jsii)' | tr '\n' ' ')
echo "  CDK, Playwright, pytest or ruff in it: ${extra:-none}"
echo "  first-run line: $(grep -m1 'Installing' "$clone/run-cold.log")"
