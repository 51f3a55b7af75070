#!/usr/bin/env bash
# Measures the kiosk's start-up time to the first frame and its resident memory, under
# Xvfb (apt-get install xvfb), with the in-memory backend so no server is needed.
#
#   kiosk/tools/measure.sh [path/to/kiosk]     (default: target/debug/kiosk)
#
# Start-up: `--exit-after-first-frame` prints the milliseconds from the start of `main`
# to the first frame (or, for renderers that cannot report frames, to the first turn of
# the event loop after the window was painted). Memory: VmRSS of a kiosk left running for
# eight seconds on its home screen.
set -euo pipefail
bin=${1:-target/debug/kiosk}
for run in 1 2 3; do
    RUST_LOG=error xvfb-run -a -s "-screen 0 1080x1920x24" \
        "$bin" --offline-demo --windowed --exit-after-first-frame | grep -E "first"
done
Xvfb :77 -screen 0 1080x1920x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY=:77 RUST_LOG=error "$bin" --offline-demo --windowed >/dev/null 2>&1 &
app=$!
sleep 8
grep -E "VmRSS|VmHWM" "/proc/$app/status"
kill "$app" "$xvfb"
wait 2>/dev/null || true
