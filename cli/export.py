"""`after export`, `after export_midi`: a trained diffusion run → nn~ `.ts` (+ map PNG, presets sidecar)."""

from pathlib import Path
from typing import Any, Callable, Optional, Tuple

import click

from after.cli.common import run_command


def export_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by both export commands (same names as the seed README)."""
    options = [
        click.option("--model_path", required=True, type=click.Path(path_type=Path),
                     help="Diffusion run folder (from `after train`)."),
        click.option("--emb_model_path", required=True, type=click.Path(path_type=Path),
                     help="Streaming codec export (export_stream.ts from `after export_autoencoder`)."),
        click.option("--step", type=int, default=None, help="Checkpoint step (default: the latest)."),
        click.option("--db_path", multiple=True, type=click.Path(path_type=Path),
                     help="Training dataset(s), for the timbre map and the preset bank (repeatable; default: the "
                          "databases the run was trained on)."),
        click.option("--name", default=None, help="Export name (default: the run folder's name)."),
        click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
                     help="Output folder (default: the run folder)."),
        click.option("--n_presets", type=click.IntRange(1, 128), default=16, show_default=True,
                     help="Timbre presets drawn from the training set."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def run_export(kind: str, model_path: Path, emb_model_path: Path, step: Optional[int], db_path: Tuple[Path, ...],
               name: Optional[str], out_dir: Optional[Path], n_presets: int, n_poly: int) -> None:
    from after.tools.export_model import export_model

    result = export_model(model_path, emb_model_path, kind, db_path, step=step, name=name, out_dir=out_dir,
                          n_poly=n_poly, n_presets=n_presets)
    meta = result.metadata
    sample_rate = meta["sample_rate"] or 1
    click.echo(f"wrote {result.path} ({result.file_bytes / 2**20:.1f} MiB, "
               f"{result.file_bytes / max(result.parameter_bytes, 1):.2f} × parameter bytes), verified as nn~ uses it")
    click.echo(f"wrote {result.map_path} and {result.presets_path} ({len(meta['presets'])} presets, "
               f"{len(meta['labels'])} labels)")
    for note in result.notes:
        click.echo(note)
    click.echo(f"latency: {meta['latency_samples']} samples ({1000 * meta['latency_samples'] / sample_rate:.1f} ms) "
               f"+ the nn~ buffering (about 2 × buffer size)")


@click.command("export")
@export_options
@run_command
def export(**kwargs: Any) -> None:
    """Export an audio→audio AFTER run for nn~ (after.audio.<name>.ts)."""
    run_export("audio", n_poly=0, **kwargs)


@click.command("export_midi")
@export_options
@click.option("--n_poly", "--npoly", "n_poly", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Polyphony: (pitch, velocity) voice pairs the device sends.")
@run_command
def export_midi(**kwargs: Any) -> None:
    """Export a MIDI→audio AFTER run for nn~ (after.midi.<name>.ts)."""
    run_export("midi", **kwargs)


COMMANDS = [export, export_midi]
