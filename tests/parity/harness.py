"""Plays an adafruit_led_animation 2.12.6 effect on a patched clock and prints its frames.

Usage: python harness.py '<spec as JSON>'

The spec: {"effect": "Comet", "n": 10, "speed_ms": 100, "steps": 40,
           "kwargs": {...}, "seed": 0}

The clock (`time.monotonic_ns`, which the library reads through
`adafruit_led_animation.monotonic_ms`) is patched before the library is imported, so
step k is drawn at exactly k * speed_ms milliseconds. Prints one line per step: a JSON
list of the frames shown (one per `show()`) at that step, each a list of [r, g, b].

blinken's tests/effects_parity.rs runs this and compares frame by frame.
"""

import json
import random
import sys
import time

NOW_NS = 0


def _monotonic_ns():
    return NOW_NS


def _monotonic():
    return NOW_NS / 1e9


time.monotonic_ns = _monotonic_ns
time.monotonic = _monotonic


def rgb(color):
    if isinstance(color, int):
        return (color >> 16 & 0xFF, color >> 8 & 0xFF, color & 0xFF)
    return tuple(int(c) for c in color[:3])


class FakePixels:
    """What the library needs of a NeoPixel/DotStar object; keeps (r, g, b) tuples."""

    def __init__(self, n):
        self.n = n
        self.auto_write = True
        self.brightness = 1.0
        self.pixels = [(0, 0, 0)] * n
        self.shows = []

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        return self.pixels[index]

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            value = [rgb(v) for v in value]
            self.pixels[index] = value
            assert len(self.pixels) == self.n, "a slice write changed the length"
        else:
            self.pixels[index] = rgb(value)

    def fill(self, color):
        self.pixels = [rgb(color)] * self.n

    def show(self):
        self.shows.append([list(p) for p in self.pixels])


def tuples(value):
    if isinstance(value, list) and value and isinstance(value[0], list):
        return [tuple(v) for v in value]
    if isinstance(value, list):
        return tuple(value)
    return value


def main():
    global NOW_NS
    spec = json.loads(sys.argv[1])
    import importlib

    name = spec["effect"]
    module = importlib.import_module("adafruit_led_animation.animation." + name.lower())
    cls = getattr(module, name)
    random.seed(spec.get("seed", 0))
    pixels = FakePixels(spec["n"])
    kwargs = {k: tuples(v) for k, v in spec.get("kwargs", {}).items()}
    speed_ms = spec["speed_ms"]
    if name == "Solid":
        anim = cls(pixels, **kwargs)
    else:
        anim = cls(pixels, speed=speed_ms / 1000, **kwargs)
        assert anim._speed_ms == speed_ms, (anim._speed_ms, speed_ms)
    out = sys.stdout
    for k in range(spec["steps"]):
        NOW_NS = k * speed_ms * 1_000_000
        pixels.shows = []
        assert anim.animate(), f"step {k} was not drawn at {k * speed_ms} ms"
        out.write(json.dumps(pixels.shows, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
