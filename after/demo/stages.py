"""The demo's stages, in order. Each one runs the pipeline's own commands with the flags a user would type
(echoed as shell lines, so the demo doubles as a tutorial) and returns the files it made."""

from __future__ import annotations

import shutil
from pathlib import Path

from after import synth
from after.demo.invoke import invoke
from after.demo.pipeline import Stage, StageContext
from after.demo.check import check_transfer
from after.io import write_audio, write_json_atomic

# Four timbres, one per synthesis family: clearly different, so a small model can learn to tell them apart.
DEMO_TIMBRES = ("organ", "bell", "pluck", "breath")
AUDIO_MINUTES = 4.0
CLIP_SECONDS = 8.0
CODEC_PRESET = "smallAE"
SAMPLE_RATE = 16000
NUM_SIGNAL = 32768  # samples per database chunk (2.05 s at 16 kHz)
N_POLY = 4
TRANSFER_SECONDS = 8.0


def _synthesize(ctx: StageContext) -> dict[str, Path]:
    dataset = synth.write_dataset(ctx.out_dir / "audio", minutes=AUDIO_MINUTES, sample_rate=SAMPLE_RATE,
                                  seed=ctx.options.seed, timbres=DEMO_TIMBRES, clip_seconds=CLIP_SECONDS)
    return {"audio": dataset.root}


def _prepare_waveforms(ctx: StageContext) -> dict[str, Path]:
    db = ctx.out_dir / "data" / "waveforms"
    invoke(["after", "prepare_dataset", "--input_path", str(ctx.state.output("synthesize", "audio")),
            "--output_path", str(db), "--save_waveform", "--waveform_augmentation", "none",
            "--num_signal", str(NUM_SIGNAL), "--sample_rate", str(SAMPLE_RATE)])
    return {"db": db}


def _train_codec(ctx: StageContext) -> dict[str, Path]:
    runs = ctx.out_dir / "runs"
    run = runs / "codec"
    invoke(["after", "train_autoencoder", "--name", "codec", "--save_dir", str(runs),
            "--db_path", str(ctx.state.output("prepare_waveforms", "db")), "--config", CODEC_PRESET,
            "--gpu", "-1", "--max_time", str(int(ctx.budget_s))]
           + (["--resume"] if (run / "checkpoints" / "last.ckpt").exists() else []))
    return {"run": run}


def _export_codec(ctx: StageContext) -> dict[str, Path]:
    run = ctx.state.output("train_codec", "run")
    invoke(["after", "export_autoencoder", "--model_path", str(run)])
    return {"offline": run / "export.ts", "stream": run / "export_stream.ts"}


def _prepare_latents(ctx: StageContext) -> dict[str, Path]:
    db = ctx.out_dir / "data" / "latents"
    audio = str(ctx.state.output("synthesize", "audio"))
    invoke(["after", "prepare_dataset", "--input_path", audio, "--output_path", str(db),
            "--emb_model_path", str(ctx.state.output("export_codec", "offline")),
            "--midi_path", audio, "--parser", "simple_midi", "--waveform_augmentation", "none",
            "--num_signal", str(NUM_SIGNAL), "--sample_rate", str(SAMPLE_RATE)])
    return {"db": db}


def _train_after(kind: str, presets: list[str]):
    def run_stage(ctx: StageContext) -> dict[str, Path]:
        out_path = ctx.out_dir / "runs" / kind
        run = out_path / "demo"
        config_flags = [flag for preset in presets for flag in ("--config", preset)]
        invoke(["after", "train", "--name", "demo", "--out_path", str(out_path),
                "--db_path", str(ctx.state.output("prepare_latents", "db")),
                "--emb_model_path", str(ctx.state.output("export_codec", "offline")), *config_flags,
                "--gpu", "-1", "--max_time", str(int(ctx.budget_s))]
               + (["--resume"] if (run / "checkpoints" / "last.ckpt").exists() else []))
        return {"run": run}

    return run_stage


def _export_after(kind: str):
    def run_stage(ctx: StageContext) -> dict[str, Path]:
        run = ctx.state.output(f"train_{kind}", "run")
        command = "export" if kind == "audio" else "export_midi"
        invoke(["after", command, "--model_path", str(run),
                "--emb_model_path", str(ctx.state.output("export_codec", "stream")),
                "--db_path", str(ctx.state.output("prepare_latents", "db"))]
               + (["--n_poly", str(N_POLY)] if kind == "midi" else []))
        return {"model": run / f"after.{kind}.demo.ts", "map": run / f"after.{kind}.demo.png"}

    return run_stage


def _build_devices(ctx: StageContext) -> dict[str, Path]:
    outputs = {}
    for kind in ("audio", "midi"):
        folder = ctx.out_dir / "devices" / kind
        invoke(["after-device", "build", str(ctx.state.output(f"export_{kind}", "model")), "--out", str(folder),
                "--force"])
        outputs[kind] = folder
    return outputs


def _render(ctx: StageContext) -> dict[str, Path]:
    """Held-out inputs (seeds the training set never used): a plucked melody as structure, organ chords as
    timbre; the transfer keeps the melody and should sound like the organ."""
    renders = ctx.out_dir / "renders"
    renders.mkdir(parents=True, exist_ok=True)
    heldout_seed = 10_000 + ctx.options.seed
    structure = synth.make_clip("pluck", "melody", TRANSFER_SECONDS, SAMPLE_RATE, heldout_seed)
    timbre = synth.make_clip("organ", "chords", TRANSFER_SECONDS, SAMPLE_RATE, heldout_seed + 1)
    write_audio(renders / "structure.wav", structure.audio, SAMPLE_RATE)
    synth.write_midi(renders / "structure.mid", structure.notes)
    write_audio(renders / "timbre.wav", timbre.audio, SAMPLE_RATE)
    outputs = {"structure": renders / "structure.wav", "timbre": renders / "timbre.wav",
               "transfer": renders / "transfer.wav", "midi_to_audio": renders / "midi_to_audio.wav",
               "map": renders / "timbre_map.png"}
    for kind, structure_file, out in (("audio", "structure.wav", "transfer"), ("midi", "structure.mid", "midi_to_audio")):
        invoke(["after", "transfer", "--model", str(ctx.state.output(f"export_{kind}", "model")),
                "--structure", str(renders / structure_file), "--timbre", str(outputs["timbre"]),
                "--out", str(outputs[out]), "--seed", str(ctx.options.seed)])
    shutil.copyfile(ctx.state.output("export_audio", "map"), outputs["map"])
    return outputs


def _check(ctx: StageContext) -> dict[str, Path]:
    """Measure the transfer (finite, non-silent, timbre moved) and keep the numbers in renders/check.json."""
    result = check_transfer(ctx.state.output("export_audio", "model"), ctx.state.output("render", "structure"),
                            ctx.state.output("render", "timbre"), ctx.state.output("render", "transfer"))
    path = ctx.out_dir / "renders" / "check.json"
    write_json_atomic(path, result.to_dict())
    return {"check": path}


def demo_stages() -> list[Stage]:
    """The demo, in order; the training shares add up to 80 % of the budget, the rest is set-up and export."""
    return [
        Stage("synthesize", "synthesize a dataset with known MIDI", 0.0, _synthesize),
        Stage("prepare_waveforms", "prepare_dataset (waveforms, for the codec)", 0.0, _prepare_waveforms),
        Stage("train_codec", "train_autoencoder (small codec)", 0.36, _train_codec),
        Stage("export_codec", "export_autoencoder (export.ts, export_stream.ts)", 0.0, _export_codec),
        Stage("prepare_latents", "prepare_dataset --emb_model_path (latents + MIDI)", 0.0, _prepare_latents),
        Stage("train_audio", "train --config base --config tiny (audio→audio)", 0.22, _train_after("audio", ["base", "tiny"])),
        Stage("train_midi", "train --config midi --config tiny (MIDI→audio)", 0.22, _train_after("midi", ["midi", "tiny"])),
        Stage("export_audio", "export (after.audio.demo.ts)", 0.0, _export_after("audio")),
        Stage("export_midi", "export_midi (after.midi.demo.ts)", 0.0, _export_after("midi")),
        Stage("build_devices", "after-device build (Live, Max, Pd)", 0.0, _build_devices),
        Stage("render", "transfer: timbre-transfer and MIDI-to-audio WAVs", 0.0, _render),
        Stage("check", "check the transfer: finite, non-silent, timbre moved", 0.0, _check),
    ]
