#!/usr/bin/env python3
"""Draws the wall times of a `Benchmarks/run.sh` table as a chart (matplotlib).

Usage: chart.py TABLE.md OUT.svg|OUT.png

Reads the rows run.sh prints (`| <image>: <what> | <median wall s> | ...`)
and draws, per image, `in`, `extract`, the stage limits (`tar -xf` of the
decompressed layers, Σ-stages/2) and the peers (skopeo + umoci, skopeo + tar),
as horizontal bars on a logarithmic axis (the peers are ten times slower).
The run's conditions (the heading run.sh prints) become the title.
"""
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SERIES = [  # (label, colour, test on the row's "what")
    ("registry-image in", "#1f77b4", lambda w: w == "registry-image in"),
    ("registry-image extract", "#6baed6", lambda w: w.startswith("registry-image extract")),
    ("limit: tar -xf of the decompressed layers", "#2ca02c", lambda w: w.startswith("limit: tar -xf")),
    ("limit: Σ-stages / 2 cores", "#98df8a", lambda w: w.startswith("estimate: Σ-stages/2")),
    ("skopeo copy + umoci unpack", "#d62728", lambda w: w.startswith("skopeo copy + umoci")),
    ("skopeo copy + tar -x", "#ff9896", lambda w: w.startswith("skopeo copy + tar")),
]
NAMES = {"big-gzip": "8 layers, gzip", "big-zstd": "8 layers, zstd", "many": "40 small layers",
         "debian": "Debian-sized", "large": "large files (10-200 MB)"}


def read(path):
    title, values, images = "", {}, []
    for line in open(path, encoding="utf-8"):
        if line.startswith("### "):
            title = line[4:].strip()
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or ": " not in cells[0]:
            continue
        image, what = cells[0].split(": ", 1)
        try:
            seconds = float(cells[1])
        except ValueError:
            continue
        for label, _, test in SERIES:
            if test(what):
                values[(image, label)] = seconds
                if image not in images:
                    images.append(image)
    return title, values, [i for i in images if not i.startswith("files-")]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    title, values, images = read(sys.argv[1])
    if not images:
        sys.exit(f"chart: no benchmark rows in {sys.argv[1]}")
    shown = [s for s in SERIES if any((i, s[0]) in values for i in images)]
    height = 0.8 / len(shown)
    fig, ax = plt.subplots(figsize=(12, 1.2 + 0.75 * len(images) * len(shown) / 3))
    for k, (label, colour, _) in enumerate(shown):
        ys, xs = [], []
        for n, image in enumerate(images):
            if (image, label) in values:
                ys.append(n + (k - (len(shown) - 1) / 2) * height)
                xs.append(values[(image, label)])
        bars = ax.barh(ys, xs, height=height * 0.92, color=colour, label=label)
        ax.bar_label(bars, labels=[f"{x:.2f}" for x in xs], padding=2, fontsize=7)
    ax.set_yticks(range(len(images)), [NAMES.get(i, i) for i in images])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("median wall time, seconds (log scale; shorter is better)")
    ax.set_title(re.sub(r"^registry-image benchmark ", "", title), fontsize=8, loc="left")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.grid(axis="x", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(sys.argv[2], metadata={"Date": None} if sys.argv[2].endswith(".svg") else None)
    print(f"chart: {sys.argv[2]} ({len(images)} images, {len(shown)} series)")


if __name__ == "__main__":
    main()
