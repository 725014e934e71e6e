"""The demo's stages, in order: the CPU recipe (`ddspAE` codec, `ddsp` / `ddsp_midi` AFTER models) on real
instrument sounds, run as the very commands a user would type (each is printed, then run as a subprocess),
then the devices, renders and a verdict from `after eval`.

Sounds: the General MIDI benchmark (`after eval --render-benchmark`: six instruments rendered by FluidSynth,
train and held-out melodies with their MIDI) when `fluidsynth` and its soundfont are installed, else the
four synthesized timbres of `after.data.synth` (melodies only: the harmonic codec is monophonic).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from after.data import synth
from after.demo.check import DemoCheck, check_demo
from after.demo.invoke import run_commands
from after.demo.pipeline import Stage, StageContext
from after.device.artefacts import bank_file, map_file
from after.io import write_json_atomic

SAMPLE_RATE = 16000
NUM_SIGNAL = 32768  # samples per database chunk (2.05 s at 16 kHz)
CODEC_PRESET = "ddspAE"
AUDIO_PRESETS = ("base", "ddsp")
MIDI_PRESETS = ("midi", "ddsp_midi")
N_POLY = 4
SYNTH_TIMBRES = ("organ", "bell", "pluck", "breath")
SYNTH_MINUTES = 6.0
SYNTH_CLIP_SECONDS = 4.0
SYNTH_HELDOUT_CLIPS = 3  # per timbre
STEPS = 10  # Euler steps of the renders and the check
GUIDANCE_TIMBRE = 2.0
GUIDANCE_STRUCTURE = 3.0


def _after(*args: str) -> list[str]:
    return ["after", *args]


def _sounds(ctx: StageContext) -> dict[str, Path]:
    """`after eval --render-benchmark` (real instruments) when FluidSynth is there, else synthesized timbres,
    laid out alike: `audio/train/<instrument>/*.wav|.mid` and `audio/heldout/...`."""
    from after.errors import InputError
    from after.evaluation.gm_benchmark import check_renderer

    root = ctx.out_dir / "audio"
    try:
        check_renderer()
    except InputError as exc:
        click.echo(f"  note: {exc}; the demo uses synthesized timbres instead of General MIDI instruments")
        _synthesize(root, ctx.options.seed)
        return {"audio": root, "train": root / "train", "heldout": root / "heldout"}
    run_commands([_after("eval", "--render-benchmark", str(root), "--seed", str(ctx.options.seed))])
    return {"audio": root, "train": root / "train", "heldout": root / "heldout"}


def _synthesize(root: Path, seed: int) -> None:
    """Melodies of the synthesized timbres: train clips and held-out clips from other seeds."""
    synth.write_dataset(root / "train", minutes=SYNTH_MINUTES, sample_rate=SAMPLE_RATE, seed=seed,
                        timbres=SYNTH_TIMBRES, clip_seconds=SYNTH_CLIP_SECONDS, chord_fraction=0.0)
    minutes = SYNTH_HELDOUT_CLIPS * len(SYNTH_TIMBRES) * SYNTH_CLIP_SECONDS / 60.0
    synth.write_dataset(root / "heldout", minutes=minutes, sample_rate=SAMPLE_RATE, seed=seed + 10_000,
                        timbres=SYNTH_TIMBRES, clip_seconds=SYNTH_CLIP_SECONDS, chord_fraction=0.0)


def _prepare(ctx: StageContext, emb_model: Path | None) -> list[str]:
    """`after prepare_dataset` on the training melodies (chords left out: the harmonic codec is monophonic)."""
    train = ctx.state.output("sounds", "train")
    name = "latents" if emb_model else "waveforms"
    argv = _after("prepare_dataset", "--input_path", str(train), "--output_path", str(ctx.out_dir / "data" / name),
                  "--sample_rate", str(SAMPLE_RATE), "--num_signal", str(NUM_SIGNAL), "--waveform_augmentation",
                  "none", "--exclude", "chord", "--overwrite")
    if emb_model is None:
        return argv + ["--save_waveform", "true"]
    return argv + ["--emb_model_path", str(emb_model), "--parser", "folder_midi"]


def _prepare_waveforms(ctx: StageContext) -> dict[str, Path]:
    run_commands([_prepare(ctx, None)])
    return {"db": ctx.out_dir / "data" / "waveforms"}


def _train_codec(ctx: StageContext) -> dict[str, Path]:
    """`after train_autoencoder --config ddspAE --max_time …` (an interrupted demo resumes the run with the time
    left: the time limit is kept in its checkpoints)."""
    runs = ctx.out_dir / "runs"
    run = runs / "codec"
    argv = _after("train_autoencoder", "--name", "codec", "--save_dir", str(runs),
                  "--db_path", str(ctx.state.output("prepare_waveforms", "db")), "--gpu", "-1",
                  "--max_time", f"{ctx.budget_s:.0f}", "--seed", str(ctx.options.seed))
    resume = (run / "checkpoints" / "last.ckpt").exists()
    run_commands([argv + (["--resume"] if resume else ["--config", CODEC_PRESET])])
    return {"run": run}


def _export_codec(ctx: StageContext) -> dict[str, Path]:
    run = ctx.state.output("train_codec", "run")
    run_commands([_after("export_autoencoder", "--model_path", str(run))])
    return {"offline": run / "export.ts", "stream": run / "export_stream.ts"}


def _prepare_latents(ctx: StageContext) -> dict[str, Path]:
    run_commands([_prepare(ctx, ctx.state.output("export_codec", "offline"))])
    return {"db": ctx.out_dir / "data" / "latents"}


def _train_after(ctx: StageContext) -> dict[str, Path]:
    """Both AFTER models at once (`after train … &`), one per core: each gets the whole stage's time."""
    commands, outputs = [], {}
    for kind, presets in (("audio", AUDIO_PRESETS), ("midi", MIDI_PRESETS)):
        out_path = ctx.out_dir / "runs" / kind
        run = out_path / "demo"
        argv = _after("train", "--name", "demo", "--out_path", str(out_path),
                      "--db_path", str(ctx.state.output("prepare_latents", "db")),
                      "--emb_model_path", str(ctx.state.output("export_codec", "offline")),
                      *[f for p in presets for f in ("--config", p)], "--gpu", "-1",
                      "--max_time", f"{ctx.budget_s:.0f}", "--seed", str(ctx.options.seed))
        commands.append(argv + (["--resume"] if (run / "checkpoints" / "last.ckpt").exists() else []))
        outputs[kind] = run
    run_commands(commands, parallel=True, log_dir=ctx.out_dir / "logs")
    return outputs


def _export_after(kind: str):
    def run_stage(ctx: StageContext) -> dict[str, Path]:
        exports = ctx.out_dir / "exports"
        run_commands([_after("export" if kind == "audio" else "export_midi",
                             "--model_path", str(ctx.state.output("train_after", kind)),
                             "--emb_model_path", str(ctx.state.output("export_codec", "stream")),
                             "--db_path", str(ctx.state.output("prepare_latents", "db")), "--out", str(exports),
                             "--name", "demo", *(["--n_poly", str(N_POLY)] if kind == "midi" else []))])
        model = exports / f"after.{kind}.demo.ts"
        return {"model": model, "map": model.parent / map_file(model), "presets": model.parent / bank_file(model)}

    return run_stage


def _build_devices(ctx: StageContext) -> dict[str, Path]:
    """Devices and patches next to their models, so Live, Max and Pd find the `.ts` beside them."""
    outputs, commands = {}, []
    for kind in ("audio", "midi"):
        model = ctx.state.output(f"export_{kind}", "model")
        commands.append(["after-device", "build", str(model), "--out", str(model.parent), "--name", model.stem,
                         "--force"])
        outputs.update({f"{kind}_{ext}": model.with_suffix(f".{ext}") for ext in ("amxd", "maxpat", "pd")})
        outputs[f"{kind}_presets"] = model.parent / bank_file(model)  # written by the export, referenced here
    run_commands(commands)
    return outputs


def heldout_pair(heldout: Path) -> tuple[Path, Path]:
    """A structure melody and a timbre clip of another instrument, both held out (first two instruments in
    name order, first clips)."""
    instruments = sorted(p for p in heldout.iterdir() if p.is_dir())
    first = [sorted(p for p in folder.glob("*.wav") if "chord" not in p.name)[0] for folder in instruments[:2]]
    return first[0], first[1]


def _render(ctx: StageContext) -> dict[str, Path]:
    """`after transfer` on held-out clips: one instrument's melody played with another's timbre, and the same
    melody's MIDI played with that timbre."""
    renders = ctx.out_dir / "renders"
    renders.mkdir(parents=True, exist_ok=True)
    structure, timbre = heldout_pair(ctx.state.output("sounds", "heldout"))
    outputs = {"structure": renders / "structure.wav", "timbre": renders / "timbre.wav",
               "structure_midi": renders / "structure.mid", "transfer": renders / "transfer.wav",
               "midi_to_audio": renders / "midi_to_audio.wav", "map": renders / "timbre_map.png"}
    shutil.copyfile(structure, outputs["structure"])
    shutil.copyfile(structure.with_suffix(".mid"), outputs["structure_midi"])
    shutil.copyfile(timbre, outputs["timbre"])
    commands = []
    for kind, source, out in (("audio", "structure", "transfer"), ("midi", "structure_midi", "midi_to_audio")):
        commands.append(_after("transfer", "--model", str(ctx.state.output(f"export_{kind}", "model")),
                               "--structure", str(outputs[source]), "--timbre", str(outputs["timbre"]),
                               "--out", str(outputs[out]), "--steps", str(STEPS),
                               "--guidance_timbre", str(GUIDANCE_TIMBRE),
                               "--guidance_structure", str(GUIDANCE_STRUCTURE), "--seed", str(ctx.options.seed)))
    run_commands(commands)
    shutil.copyfile(ctx.state.output("export_audio", "map"), outputs["map"])
    return outputs


def _check(ctx: StageContext) -> dict[str, Path]:
    """`after eval` on the held-out clips for the codec and both AFTER exports; the verdict and the numbers go
    to renders/check.json (the demo fails after this stage when a bar is missed)."""
    heldout = ctx.state.output("sounds", "heldout")
    evals = ctx.out_dir / "renders" / "eval"
    targets = {"codec": ctx.state.output("export_codec", "offline"),
               "audio": ctx.state.output("export_audio", "model"),
               "midi": ctx.state.output("export_midi", "model")}
    commands = []
    for name, model in targets.items():
        argv = _after("eval", "--model", str(model), "--data", str(heldout), "--out", str(evals / name),
                      "--monophonic", "--seed", str(ctx.options.seed))
        if name != "codec":  # one pair per held-out melody (24 for the GM benchmark): fewer make a noisy verdict
            argv += ["--steps", str(STEPS), "--guidance_timbre", str(GUIDANCE_TIMBRE),
                     "--guidance_structure", str(GUIDANCE_STRUCTURE)]
        commands.append(argv)
    run_commands(commands, parallel=True, log_dir=ctx.out_dir / "logs")
    result: DemoCheck = check_demo({name: evals / name / "eval.json" for name in targets})
    path = ctx.out_dir / "renders" / "check.json"
    write_json_atomic(path, result.to_dict())
    return {"check": path, "evals": evals}


def demo_stages() -> list[Stage]:
    """The demo, in order. Training takes 70 % of the budget (codec 40 %, then both AFTER models side by side
    for 30 %); the untimed stages (sounds, exports, devices, renders, three evaluations) take the rest."""
    return [
        Stage("sounds", "instrument sounds with their MIDI (train and held out)", 0.0, _sounds),
        Stage("prepare_waveforms", "prepare_dataset (waveforms, for the codec)", 0.0, _prepare_waveforms),
        Stage("train_codec", f"train_autoencoder --config {CODEC_PRESET}", 0.40, _train_codec),
        Stage("export_codec", "export_autoencoder (export.ts, export_stream.ts)", 0.0, _export_codec),
        Stage("prepare_latents", "prepare_dataset --emb_model_path (latents + MIDI)", 0.0, _prepare_latents),
        Stage("train_after", "train audio→audio and MIDI→audio models side by side", 0.30, _train_after),
        Stage("export_audio", "export (after.audio.demo.ts)", 0.0, _export_after("audio")),
        Stage("export_midi", "export_midi (after.midi.demo.ts)", 0.0, _export_after("midi")),
        Stage("build_devices", "after-device build (Live, Max, Pd)", 0.0, _build_devices),
        Stage("render", "transfer: timbre-transfer and MIDI-to-audio WAVs", 0.0, _render),
        Stage("check", "after eval: codec, audio→audio and MIDI→audio on held-out clips", 0.0, _check),
    ]
