"""Regenerate the benchmark tables: `python bench/run.py [--demo after_demo] [--out bench/RESULTS.md]`.

Needs a finished demo folder (`make demo`): its codec, AFTER exports and databases are what gets measured.
Writes the markdown tables to --out and the raw rows next to it as JSON.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import click
import measure
import tables
import torch

from after.cli.common import run_command
from after.demo.state import DemoState
from after.errors import InputError
from after.io import write_json_atomic, write_text_atomic


def demo_outputs(demo: Path) -> DemoState:
    if not (demo / "state.json").exists():
        raise InputError(f"{demo}: no finished demo there; run `make demo` (or `after demo --out {demo}`) first")
    state = DemoState(demo, json.loads((demo / "state.json").read_text())["options"])
    if not state.is_done("export_midi"):
        raise InputError(f"{demo}: the demo has not reached its exports; finish it with `after demo --out {demo}`")
    return state


@click.command()
@click.option("--demo", type=click.Path(path_type=Path), default=Path("after_demo"), show_default=True,
              help="A finished `after demo` folder (its models and databases are measured).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("bench/RESULTS.md"), show_default=True)
@click.option("--audio_minutes", type=float, default=4.0, show_default=True,
              help="Synthesized audio for the prepare_dataset throughput.")
@run_command
def main(demo: Path, out: Path, audio_minutes: float) -> None:
    """Measure dataset preparation, training speed, streaming cost, latency and device build time."""
    torch.set_num_threads(1)  # as the demo trains, and as nn~ runs a model
    state = demo_outputs(demo)
    codec = state.output("export_codec", "offline")
    models = [state.output("export_codec", "stream"), state.output("export_audio", "model"),
              state.output("export_midi", "model")]
    sample_rate = int(measure.read_model_info(codec).metadata["sample_rate"])
    with tempfile.TemporaryDirectory(prefix="after-bench-") as tmp:
        work = Path(tmp)
        sections = {
            "Dataset preparation (`after prepare_dataset`, 2 cores)":
                list(measure.prepare_throughput(work / "prepare", codec, sample_rate, audio_minutes)),
            "Training speed (CPU, one thread)":
                [measure.codec_training_speed(work / "codec", state.output("prepare_waveforms", "db"), sample_rate)]
                + list(measure.diffusion_training_speed(work / "train", state.output("prepare_latents", "db"), codec)),
            tables.STREAMING: [row for model in models for row in measure.streaming_cost(model)],
            tables.LATENCY: [measure.latency(model) for model in models],
            "Device build (`after-device build`)":
                [measure.device_build_time(model, work / "devices" / model.stem) for model in models[1:]],
        }
    results = {"about": {"command": "python bench/run.py",
                         "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                         "machine": tables.machine(), "demo": str(demo), "minutes": state.options["minutes"],
                         "models": [model.name for model in models]},
               "notes": {tables.LATENCY: tables.LATENCY_NOTE},
               "sections": sections}
    write_json_atomic(out.with_suffix(".json"), results)
    write_text_atomic(out, tables.results_markdown(results))
    click.echo(f"wrote {out} and {out.with_suffix('.json')}")
    if out.resolve() == tables.RESULTS_MD:  # the repository's tables: the README's rows follow them
        tables.main([], write_text_atomic)


if __name__ == "__main__":
    main()
