"""Full-size exports on random weights, measured as nn~ drives them: `python bench/full_size.py WORK`.

Makes (or reuses) the exports of `bench/random_exports.py` in WORK, the causal `baseAE` codec at 44.1 kHz
and AFTER runs of the `base` and `midi` presets (random weights cost the same time as trained ones: every layer
runs whatever its weights), measures each with `after bench` (`after.tools.bench.bench_model_isolated`: a fresh
process per model, one thread) and writes `bench/FULL_SIZE.json`; then `bench/tables.py` renders it into
`docs/EXPORT.md` ("Measured") and the README's Performance rows.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import click
import tables

from after.io import write_json_atomic, write_text_atomic
from after.tools.bench import bench_model_isolated

# (what, methods, steps) per export; buffers 2048 (the smallest nn~ buffer a device uses) and 8192 (AFTER's
# default device buffer), 4 steps (the exports' default).
MEASURED = {
    "codec": ("causal `baseAE` codec, streaming", ["forward"], [1]),
    "audio": ("`base` audio→audio", ["forward", "generate_timbre", "diffuse", "decode"], [4]),
    "midi": ("`midi` MIDI→audio, 8 voices", ["forward", "generate"], [4]),
}


@click.command()
@click.argument("work", type=click.Path(file_okay=False, path_type=Path))
@click.option("--repeats", default=20, show_default=True, type=click.IntRange(1), help="timed calls per row")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=tables.FULL_SIZE,
              show_default=True)
def main(work: Path, repeats: int, out: Path) -> None:
    """Export (or reuse) the full-size random-weight models in WORK and measure them."""
    # The exports are made in another process: a child started from this one inherits its peak RSS (Linux
    # keeps `ru_maxrss` across exec), so this process must stay small for the children's figures to be theirs.
    subprocess.run([sys.executable, str(Path(__file__).with_name("random_exports.py")), str(work)], check=True)
    paths = {"codec": work / "export_stream.ts", "audio": work / "after.audio.base.ts",
             "midi": work / "after.midi.midi.ts"}
    models = []
    for kind, (what, methods, steps) in MEASURED.items():
        report = bench_model_isolated(paths[kind], (2048, 8192), 1, steps, methods, repeats)
        models.append({"file": paths[kind].name, "what": what, "file_size_mb": report.file_size_mb,
                       "load_s": report.load_s, "first_calls_ms": report.first_calls_ms,
                       "peak_rss_mb": report.peak_rss_mb,
                       "rows": [asdict(row) for row in report.rows]})
        click.echo(f"measured {paths[kind].name}")
    results = {"about": {"command": "python bench/full_size.py WORK",
                         "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                         "machine": tables.machine(), "repeats": repeats}, "models": models}
    write_json_atomic(out, results)
    click.echo(f"wrote {out}")
    if out.resolve() == tables.FULL_SIZE:
        tables.main([], write_text_atomic)


if __name__ == "__main__":
    main()
