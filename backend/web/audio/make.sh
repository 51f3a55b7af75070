#!/usr/bin/env bash
# Generates the spoken-call clips of the hall display ONCE; the WAV files are committed,
# so neither the display nor the build needs espeak-ng or the internet.
#
#   apt-get install espeak-ng sox && backend/web/audio/make.sh
#
# Each clip is one Vietnamese word or phrase, spoken by espeak-ng's `vi` voice, with the
# leading and trailing silence trimmed and resampled to 16 kHz mono 16-bit PCM so that
# clips join without gaps or clicks (the browser and `announce` add short pauses).
set -euo pipefail
cd "$(dirname "$0")"
say() {
    local name=$1 text=$2
    espeak-ng -v vi -s 150 -w "/tmp/clip-$name.wav" "$text"
    sox "/tmp/clip-$name.wav" -r 16000 -c 1 -b 16 "$name.wav" \
        silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
    rm -f "/tmp/clip-$name.wav"
}
say intro "Mời công dân có số thứ tự"
say to-counter "đến quầy số"
digits=(không một hai ba bốn năm sáu bảy tám chín)
for i in "${!digits[@]}"; do say "d$i" "${digits[$i]}"; done
say muoi "mười"        # ten (10 to 19)
say muoi-tens "mươi"   # tens after a digit (20, 30 …)
say mot-tens "mốt"     # a final one after twenty and up (21, 31 …)
say tu "tư"            # a final four after twenty and up (24, 34 …)
say lam "lăm"          # a final five after ten (15, 25 …)
say linh "linh"        # zero tens before a unit (105 = một trăm linh năm)
say tram "trăm"        # hundred
say nghin "nghìn"      # thousand
