"""`after-device build | inspect | validate | examples`."""

import json
from pathlib import Path
from typing import Optional, Tuple

import click

from after.cli.common import run_command


@click.command("build")
@click.argument("models", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: <model folder>/<name>_device).")
@click.option("--kind", type=click.Choice(["auto", "audio", "midi", "codec", "generic"]), default="auto",
              show_default=True, help="Device kind; auto reads the model's metadata, else its method table.")
@click.option("--name", default=None, help="Device name (default: the model's name); cleaned for file names.")
@click.option("--buffer", type=int, default=None,
              help="nn~ buffer in samples, a power of two (default 8192 for AFTER models, 2048 otherwise).")
@click.option("--formats", default="amxd,maxpat,pd", show_default=True, help="Comma list of amxd, maxpat, pd.")
@click.option("--zt", type=int, default=None, help="Timbre dimensions, for models without metadata.")
@click.option("--n-poly", "n_poly", type=int, default=None, help="MIDI voices, for models without metadata.")
@click.option("--latency-ms", "latency_ms", type=float, default=None,
              help="The model's own latency, for models without metadata (the nn~ buffer is added).")
@click.option("--sample-rate", "sample_rate", type=int, default=None,
              help="Model sample rate, for models without metadata (converts --latency-ms).")
@click.option("--force", is_flag=True, help="Overwrite existing outputs.")
@run_command
def build(models: Tuple[Path, ...], out_dir: Optional[Path], kind: str, name: Optional[str], buffer: Optional[int],
          formats: str, zt: Optional[int], n_poly: Optional[int], latency_ms: Optional[float],
          sample_rate: Optional[int], force: bool) -> None:
    """Build a Max for Live device (.amxd), a Max patch, a Pd patch, a preset bank, the map picture and a
    README from each nn~ model (MODELS: one or more .ts files)."""
    from after.device.build import build_device, parse_formats
    from after.device.model import Overrides
    from after.nn_tilde.compat import foreign_model_warning

    chosen = parse_formats(formats)
    overrides = Overrides(kind=kind, name=name, zt=zt, n_poly=n_poly, latency_ms=latency_ms, sample_rate=sample_rate)
    for model in models:
        result = build_device(model, out_dir, overrides, buffer, chosen, force)
        spec = result.spec
        click.echo(f"{model}: {spec.model.kind} device '{spec.title}' ({len(spec.controls)} controls, "
                   f"{len(spec.bank)} presets, latency {spec.latency_max} samples) in {result.seconds:.2f} s")
        for note in spec.notes:
            click.echo(f"  note: {note}")
        for path in result.files:
            click.echo(f"  {path}")
        for message in result.messages:
            click.echo(f"  {message}")
        warning = foreign_model_warning(model)  # our exports were checked when written; others are checked here
        if warning:
            click.echo(f"  warning: {warning}", err=True)


@click.command("inspect")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@run_command
def inspect(file: Path, as_json: bool) -> None:
    """Show parameters, nn~ objects and wiring of a device or patch (.amxd, .maxpat, .pd)."""
    from after.device.inspect import describe, read_patch

    summary = read_patch(file)
    click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) if as_json else describe(summary))


@click.command("validate")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--model", type=click.Path(path_type=Path), default=None,
              help="The nn~ model the patch uses: also checks nn~ counts, methods, buffers and attribute types.")
@run_command
def validate(file: Path, model: Optional[Path]) -> None:
    """Check a device or patch against the nn~ contract and the formats; exit 1 on any problem."""
    from after.device.inspect import read_patch
    from after.device.validate import validate_patch
    from after.errors import AfterError
    from after.nn_tilde.host import read_model_info

    summary = read_patch(file)
    problems = validate_patch(summary, read_model_info(model) if model else None)
    for problem in problems:
        click.echo(f"{file}: {problem}", err=True)
    if problems:
        raise AfterError(f"{file}: {len(problems)} problem(s) found")
    click.echo(f"{file}: ok ({len(summary.parameters)} parameters, {len(summary.nn_objects)} nn~ objects, "
               f"{len(summary.connections)} connections)")


@click.command("examples")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@run_command
def examples(out: Path) -> None:
    """Write the example devices and patches for the models `after demo` exports (audio, MIDI, codec) into OUT,
    one sub-folder per model, replacing what is there; the repository keeps them in patchs/."""
    from after.tools.device_examples import demo_examples, write_examples

    for path in write_examples(out, demo_examples()):
        click.echo(str(path))


COMMANDS = [build, inspect, validate, examples]
