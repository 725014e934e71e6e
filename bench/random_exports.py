"""Full-size random-weight exports for timing: a causal `baseAE` codec (44.1 kHz, ratio 2048) and AFTER runs
of the `base` and `midi` presets, exported as nn~ models with `after.tools.export_model.export_model`.

    python bench/random_exports.py WORK [--kind audio --kind midi]

Writes WORK/export_stream.ts, WORK/after.audio.base.ts and WORK/after.midi.midi.ts. Random weights cost the
same time as trained ones (every layer runs whatever its weights); `after bench` measures them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: tests.helpers

from after.codec.config import CodecConfig  # noqa: E402
from after.codec.export import export_codec  # noqa: E402
from after.codec.model import build_codec  # noqa: E402
from after.config import load_config  # noqa: E402
from after.diffusion.builders import build_networks  # noqa: E402
from after.diffusion.config import DiffusionConfig  # noqa: E402
from after.diffusion.runs import write_untrained_run  # noqa: E402
from after.tools.export_model import export_model  # noqa: E402
from tests.helpers.export_models import make_latent_db  # noqa: E402

SAMPLE_RATE = 44100


def make_preset_run(run_dir: Path, codec_path: Path, preset: str, ratio: int, latent_size: int) -> Path:
    """A run folder as `after train` writes it, with the preset's networks at random initialisation."""
    config = load_config(DiffusionConfig, [preset], ["train.n_signal=16"])
    torch.manual_seed(0)
    return write_untrained_run(run_dir, config, build_networks(config.model, latent_size),
                               {"path": str(codec_path), "ratio": ratio, "latent_size": latent_size,
                                "sample_rate": SAMPLE_RATE})


def make_exports(work: Path, kinds: tuple[str, ...] = ("audio", "midi")) -> dict[str, Path]:
    """The codec export and one AFTER export per kind in `work` (the codec and the database are reused when
    there); returns {"codec": …, "audio": …, "midi": …} for the kinds asked."""
    torch.set_num_threads(1)
    work.mkdir(parents=True, exist_ok=True)
    codec_path = work / "export_stream.ts"
    if not codec_path.exists():
        cfg = load_config(CodecConfig, ["baseAE"], ["model.causal=true"])
        torch.manual_seed(0)
        codec = build_codec(cfg.model).eval()
        codec_path = export_codec(codec, cfg, work)["stream"]
    from after.nn_tilde.codec_ts import load_codec
    handle = load_codec(codec_path)
    ratio, latent_size = handle.ratio, handle.latent_size
    db = work / "db"
    if not db.exists():
        make_latent_db(db, latent_size, ratio, ("brass", "keys", "voice"), sample_rate=SAMPLE_RATE)
    paths = {"codec": codec_path}
    for kind in kinds:
        preset = "base" if kind == "audio" else "midi"
        run = make_preset_run(work / preset, codec_path, preset, ratio, latent_size)
        paths[kind] = export_model(run, codec_path, kind, [db], name=preset, out_dir=work, n_presets=4).path
    return paths


@click.command()
@click.argument("work", type=click.Path(file_okay=False, path_type=Path))
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["audio", "midi"]), default=("audio", "midi"))
def main(work: Path, kinds: tuple[str, ...]) -> None:
    for kind, path in make_exports(work, kinds).items():
        click.echo(f"{kind}: {path}")


if __name__ == "__main__":
    main()
