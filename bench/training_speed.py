"""Training speed of the full-size presets, on the CPU or a GPU: codec `baseAE` and AFTER `base` / `midi`.

    python bench/training_speed.py prepare WORK             # data + a codec export (CPU, ~1 min)
    python bench/training_speed.py measure WORK --gpu 0     # steps/s per preset and precision → WORK/training_speed.md

`prepare` synthesizes 44.1 kHz audio with known MIDI, stores it as waveforms (for the codec) and, through a
`baseAE` codec exported after one training step, as latents + MIDI (for AFTER). Random-weight latents train at
the same speed as real ones. The two halves can run on different machines: copy WORK across.

Codec speed is the difference of two runs of different lengths (start-up, validation and saving cancel out);
AFTER speed is timed per optimizer step after a warm-up. Both use the presets' own batch and crop sizes.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click
import torch
from measure import StepClock
from tables import markdown_table

from after.codec.config import CodecConfig
from after.codec.export import export_codec
from after.codec.runs import CONFIG_FILE, load_codec_run
from after.codec.training.run import TrainerSettings, train_codec
from after.config import load_config, save_config
from after.data import synth
from after.data.prepare import PrepareOptions, prepare_dataset
from after.io import write_text_atomic

SAMPLE_RATE = 44100
AUDIO_MINUTES = 2.0
CLIP_SECONDS = 16.0  # one 2^19-sample latent chunk per clip: ≥ the 128-frame crops of `base` at ratio 2048
LATENT_CHUNK = 524288
WAVEFORM_CHUNK = 262144


def _codec_run(work: Path, name: str, overrides: tuple[str, ...], steps: int, hardware: TrainerSettings) -> float:
    """Wall seconds of a fresh `baseAE` run of `steps` generator steps."""
    run_dir = work / "runs" / name
    shutil.rmtree(run_dir, ignore_errors=True)
    cfg = load_config(CodecConfig, ["baseAE"], (*overrides, f"train.max_steps={steps}",
                                                 f"train.save_every={steps}", f"train.val_every={steps}"))
    save_config(cfg, run_dir / CONFIG_FILE)
    start = time.perf_counter()
    train_codec(cfg, [work / "waveforms"], run_dir, hardware)
    return time.perf_counter() - start


@click.group()
def main() -> None:
    """Training speed of baseAE / base / midi (see the module docstring)."""


@main.command()
@click.argument("work", type=click.Path(file_okay=False, path_type=Path))
def prepare(work: Path) -> None:
    """Synthesize audio, store waveforms and latents + MIDI in WORK (CPU)."""
    audio = synth.write_dataset(work / "audio", minutes=AUDIO_MINUTES, sample_rate=SAMPLE_RATE, seed=0,
                                clip_seconds=CLIP_SECONDS).root
    common = dict(input_path=audio, sample_rate=SAMPLE_RATE, waveform_augmentation="none", normalize=False,
                  cut_silences=False, num_multiprocesses=1, overwrite=True)
    prepare_dataset(PrepareOptions(output_path=work / "waveforms", num_signal=WAVEFORM_CHUNK, save_waveform=True,
                                   **common))
    _codec_run(work, "export", (), 1, TrainerSettings())
    run = load_codec_run(work / "runs" / "export", None)
    paths = export_codec(run.codec, run.config, work / "runs" / "export")
    shutil.copy(paths["offline"], work / "codec.ts")
    prepare_dataset(PrepareOptions(output_path=work / "latents", num_signal=LATENT_CHUNK,
                                   emb_model_path=work / "codec.ts", parser="after.data.synth:parse_dataset", **common))
    shutil.rmtree(work / "audio")
    shutil.rmtree(work / "runs")
    click.echo(f"prepared {work}: waveforms/, latents/ (with MIDI), codec.ts")


@main.command()
@click.argument("work", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--gpu", default=-1, show_default=True, help="-1: CPU (one thread), N: CUDA device N")
@click.option("--precision", "precisions", multiple=True, help="Lightning precisions (default: 32-true, and "
              "bf16-mixed on a GPU)")
@click.option("--trainer", "trainers", multiple=True, type=click.Choice(["codec", "base", "midi"]),
              help="what to measure (default: all three)")
@click.option("--steps", default=(10, 40), nargs=2, type=int, show_default=True,
              help="codec: the two run lengths; AFTER: warm-up and timed steps")
def measure(work: Path, gpu: int, precisions: tuple[str, ...], trainers: tuple[str, ...],
            steps: tuple[int, int]) -> None:
    """Steps per second of each trainer; writes WORK/training_speed.md and prints it."""
    from after.diffusion.config import DiffusionConfig
    from after.diffusion.training.run import TrainOptions, train_diffusion

    if gpu < 0:
        torch.set_num_threads(1)
    precisions = precisions or (("32-true",) if gpu < 0 else ("32-true", "bf16-mixed"))
    device = "CPU, one thread" if gpu < 0 else torch.cuda.get_device_name(gpu)
    hardware = ("cpu", 1) if gpu < 0 else ("gpu", [gpu])
    trainers = trainers or ("codec", "base", "midi")
    short, long = steps
    rows = []
    for precision in precisions:
        settings = TrainerSettings(*hardware, precision=precision)
        codec_phases = (("reconstruction", ()), ("adversarial", ("train.warmup_steps=0",)))
        for phase, overrides in codec_phases if "codec" in trainers else ():
            seconds = [_codec_run(work, f"codec{n}", overrides, n, settings) for n in (short, long)]
            train = load_config(CodecConfig, ["baseAE"], ()).train
            rows.append({"trainer": f"codec baseAE, {phase} phase", "batch": f"{train.batch_size} × "
                         f"{train.num_signal} samples", "precision": precision,
                         "steps/s": round((long - short) / (seconds[1] - seconds[0]), 2)})
        for preset in [t for t in trainers if t != "codec"]:
            clock = StepClock()
            train_diffusion(TrainOptions(name=preset, db_paths=[work / "latents"], codec_path=work / "codec.ts",
                                         presets=[preset], overrides=(f"train.max_steps={short + long}",
                                                                      f"train.save_every={short + long}",
                                                                      "train.val_every=1000000"),
                                         out_path=work / "runs" / precision, resume=False, accelerator=hardware[0],
                                         devices=hardware[1], precision=precision, progress_bar=False,
                                         extra_callbacks=[clock]))
            shutil.rmtree(work / "runs" / precision / preset)
            train = load_config(DiffusionConfig, [preset], ()).train
            rows.append({"trainer": f"AFTER {preset}", "batch": f"{train.batch_size} × {train.n_signal} frames",
                         "precision": precision,
                         "steps/s": round(clock.steps_per_second(short), 2)})
    text = (f"# Training speed ({device}, torch {torch.__version__})\n\n"
            f"`python bench/training_speed.py measure WORK --gpu {gpu}`\n\n{markdown_table(rows)}")
    write_text_atomic(work / "training_speed.md", text)
    click.echo(text)


if __name__ == "__main__":
    main()
