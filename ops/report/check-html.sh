#!/usr/bin/env bash
# ops/report/check-html.sh REPORT.html [OUT_DIR] — open a report in headless Chromium: a screenshot of the whole screen
# view (OUT_DIR/NAME.png, 1280 px wide, SCREEN_HEIGHT px tall, default 16000: a province report is about 13,500) and
# the A4 print (OUT_DIR/NAME.pdf, with its page count), to look at before a rakor. Installs chromium (and
# poppler-utils for the page count) with apt when missing.
set -euo pipefail
html=${1:?usage: check-html.sh REPORT.html [OUT_DIR]}
[[ -f $html ]] || { echo "check-html.sh: no file $html" >&2; exit 1; }
out=${2:-$(dirname "$html")}
mkdir -p "$out"
name=$(basename "$html" .html)
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]] || ! command -v pdfinfo >/dev/null; then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
    $SUDO apt-get install -y chromium poppler-utils || { $SUDO apt-get update && $SUDO apt-get install -y chromium poppler-utils; }
    browser=$(command -v chromium || command -v chromium-browser)
fi
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars)
"$browser" "${flags[@]}" --window-size=1280,"${SCREEN_HEIGHT:-16000}" --screenshot="$out/$name.png" "$url" 2>/dev/null
"$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/$name.pdf" "$url" 2>/dev/null
pages=$(pdfinfo "$out/$name.pdf" | awk '/^Pages:/ {print $2}')
echo "screenshot $out/$name.png; PDF $out/$name.pdf ($pages A4 pages)"
