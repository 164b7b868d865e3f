#!/usr/bin/env bash
# Seconds from `make run` to the first answered POST /qr (loopback only, gives up after 300 s).
set -u
port=${PORT:-8765}
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "port $port is already in use" >&2; exit 1; fi
start=$(date +%s.%N)
PORT=$port make run > /tmp/first_answer.log 2>&1 &
pid=$!
for _ in $(seq 1 3000); do
  if curl -sf -X POST "http://127.0.0.1:$port/qr" -d '{"url":"https://first.example"}' >/dev/null 2>&1; then
    echo "first answer after $(echo "$(date +%s.%N) - $start" | bc) s"
    break
  fi
  sleep 0.1
done
pkill -TERM -f "local.server --port $port"; wait $pid 2>/dev/null
