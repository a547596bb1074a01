#!/bin/sh
# Creates a Python venv in DIR with the library the effect parity tests compare against,
# and prints the interpreter's path (the value for BLINKEN_PARITY_PYTHON):
#
#   export BLINKEN_PARITY_PYTHON=$(tests/parity/setup.sh target/parity-venv)
#   cargo test --test effects_parity -- --include-ignored
#
# Adafruit-Blinka provides `rainbowio`; the unrelated PyPI package of that name must not
# be installed.
set -eu
dir=${1:?usage: tests/parity/setup.sh DIR}
python3 -m venv "$dir" >&2
"$dir/bin/python" -m pip install --quiet --disable-pip-version-check \
    adafruit-circuitpython-led-animation==2.12.6 Adafruit-Blinka==10.0.0 >&2
"$dir/bin/python" -c 'import adafruit_led_animation.animation.comet, rainbowio' >&2
cd "$dir" && echo "$(pwd)/bin/python"
