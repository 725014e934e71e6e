"""The demo's stages, in order. Each one runs the pipeline's own commands with the flags a user would type
(echoed as shell lines, so the demo doubles as a tutorial) and returns the files it made."""

from __future__ import annotations

import shutil
from pathlib import Path

from after import synth
from after.demo.invoke import echo_command, invoke, time_limit
from after.demo.pipeline import Stage, StageContext
from after.demo.check import check_transfer
from after.demo.codec_check import check_codec
from after.device.artefacts import bank_file, map_file
from after.io import write_audio, write_json_atomic

# Four timbres, one per synthesis family: clearly different, so a small model can learn to tell them apart.
DEMO_TIMBRES = ("organ", "bell", "pluck", "breath")
AUDIO_MINUTES = 4.0
CLIP_SECONDS = 8.0
CODEC_PRESET = "smallAE"
CODEC_SAVE_EVERY = 100
SAMPLE_RATE = 16000
NUM_SIGNAL = 32768  # samples per database chunk (2.05 s at 16 kHz)
N_POLY = 4
TRANSFER_SECONDS = 8.0
GUIDANCE_TIMBRE = 2.0  # classifier-free guidance on the timbre in the renders: a clearer timbre move


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
    """`after train_autoencoder --config smallAE`, stopped once the stage's time budget is spent (an
    interrupted demo resumes the run with the time left)."""
    from after.codec.config import CodecConfig
    from after.codec.runs import CONFIG_FILE
    from after.codec.training import train_codec
    from after.config import load_config, load_saved_config, save_config
    from after.data.store import database_info
    from after.run_folder import CHECKPOINT_DIR, LAST_CHECKPOINT

    runs = ctx.out_dir / "runs"
    run = runs / "codec"
    last = run / CHECKPOINT_DIR / LAST_CHECKPOINT
    resume = last.exists()
    db = ctx.state.output("prepare_waveforms", "db")
    echo_command(["after", "train_autoencoder", "--name", "codec", "--save_dir", str(runs), "--db_path", str(db),
                  "--gpu", "-1", "--save_every", str(CODEC_SAVE_EVERY)] + (["--resume"] if resume else ["--config", CODEC_PRESET]),
                 note=f"stopped after {ctx.budget_s:.0f} s")
    if resume:
        cfg = load_saved_config(CodecConfig, run / CONFIG_FILE)
    else:
        sample_rate = database_info(db).sample_rate  # as train_autoencoder does
        cfg = load_config(CodecConfig, [CODEC_PRESET], [f"model.sample_rate={sample_rate}",
                                                        f"train.save_every={CODEC_SAVE_EVERY}"])
        save_config(cfg, run / CONFIG_FILE)
    train_codec(cfg, [db], run, resume_from=last if resume else None, extra_callbacks=[time_limit(ctx.budget_s)])
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
            "--parser", "after.synth:parse_dataset", "--waveform_augmentation", "none",
            "--num_signal", str(NUM_SIGNAL), "--sample_rate", str(SAMPLE_RATE)])
    return {"db": db}


# The `tiny` preset shrunk further to learn something in two minutes on one CPU thread (the recipe of the
# diffusion learning test): narrow networks, big learning rate, short EMA, half the steps per phase, a
# strong adversarial classifier and noisy structure so the structure does not carry the timbre (with weight
# 0.5 and noise 0.1 one demo codec's transfer stayed nearer the source, 0.74 vs 1.08 to the target; weight 1
# and noise 0.3 moved it, 0.65 vs 1.14 to the source). The step count follows the machine's measured speed
# (below); the time budget still stops training on a machine that slows down.
DIFFUSION_OVERRIDES = (
    "model.denoiser.embed_dim=64", "model.denoiser.n_heads=2", "model.denoiser.n_layers=2",
    "model.timbre_encoder.channels=[32,32,64]", "model.timbre_encoder.dilations=[2]",
    "model.timbre_encoder.res2net_scale=2", "model.timbre_encoder.se_channels=16",
    "model.timbre_encoder.attention_channels=16",
    "train.batch_size=32", "train.n_signal=16", "train.lr=0.002", "train.ema_decay=0.98",
    "train.save_every=200", "train.val_every=100000", "train.val_batches=1", "train.val_examples=2",
    "train.val_sampling_steps=4", "conditioning.shuffle_blocks=[4]",
)
AUDIO_OVERRIDES = (
    "model.zs=2", "model.structure_encoder.channels=[32,32]", "adversarial.weight=1.0",
    "adversarial.warmup_steps=100", "adversarial.lr=0.002", "conditioning.structure_noise=0.3",
)
# AFTER steps per codec step in the same wall time, one CPU thread (measured 2.2–2.3 on the build machine, busy
# or quiet, start-up included): the AFTER stages size their runs from the codec stage's measured speed so they
# use their time shares on fast machines and still reach the second phase on slow ones.
DIFFUSION_STEPS_PER_CODEC_STEP = 2.0
FALLBACK_CODEC_STEPS_PER_SECOND = 3.5  # a busy build machine's speed, for a codec run that recorded no time
MIN_DIFFUSION_STEPS = 100


def _codec_steps_per_second(ctx: StageContext) -> float:
    """Generator steps per second of the demo's codec run (its `step` buffer over its Timer's training time)."""
    import torch

    from after.run_folder import CHECKPOINT_DIR, LAST_CHECKPOINT

    last = ctx.state.output("train_codec", "run") / CHECKPOINT_DIR / LAST_CHECKPOINT
    checkpoint = torch.load(last, map_location="cpu", weights_only=False)
    timers = [v for k, v in checkpoint.get("callbacks", {}).items() if k.startswith("Timer")]
    seconds = timers[0]["time_elapsed"]["train"] if timers else 0.0
    if seconds <= 0:  # a codec trained without the time limit (a demo folder made before it existed)
        return FALLBACK_CODEC_STEPS_PER_SECOND
    return int(checkpoint["state_dict"]["step"]) / seconds


def _train_after(kind: str, presets: list[str]):
    def run_stage(ctx: StageContext) -> dict[str, Path]:
        from after.diffusion.training.run import TrainOptions, train_diffusion

        out_path = ctx.out_dir / "runs" / kind
        run = out_path / "demo"
        resume = (run / "checkpoints" / "last.ckpt").exists()
        max_steps = max(MIN_DIFFUSION_STEPS, int(DIFFUSION_STEPS_PER_CODEC_STEP * _codec_steps_per_second(ctx) * ctx.budget_s))
        overrides = (*DIFFUSION_OVERRIDES, *(AUDIO_OVERRIDES if kind == "audio" else ()),
                     f"train.max_steps={max_steps}", f"train.phase_1_step={max_steps // 2 if kind == 'audio' else 1}")
        db = ctx.state.output("prepare_latents", "db")
        codec = ctx.state.output("export_codec", "offline")
        echo_command(["after", "train", "--name", "demo", "--out_path", str(out_path), "--db_path", str(db),
                      "--emb_model_path", str(codec), *[f for p in presets for f in ("--config", p)],
                      *[f for o in overrides for f in ("--set", o)], "--gpu", "-1"] + (["--resume"] if resume else []),
                     note=f"stopped after {ctx.budget_s:.0f} s")
        train_diffusion(TrainOptions(name="demo", db_paths=[db], codec_path=codec, presets=presets,
                                     overrides=overrides, out_path=out_path, resume=resume, accelerator="cpu",
                                     devices=1, extra_callbacks=[time_limit(ctx.budget_s)]))
        return {"run": run}

    return run_stage


def _export_after(kind: str):
    def run_stage(ctx: StageContext) -> dict[str, Path]:
        exports = ctx.out_dir / "exports"
        invoke(["after", "export" if kind == "audio" else "export_midi",
                "--model_path", str(ctx.state.output(f"train_{kind}", "run")),
                "--emb_model_path", str(ctx.state.output("export_codec", "stream")),
                "--db_path", str(ctx.state.output("prepare_latents", "db")), "--out", str(exports), "--name", "demo"]
               + (["--n_poly", str(N_POLY)] if kind == "midi" else []))
        model = exports / f"after.{kind}.demo.ts"
        return {"model": model, "map": model.parent / map_file(model), "presets": model.parent / bank_file(model)}

    return run_stage


def _build_devices(ctx: StageContext) -> dict[str, Path]:
    """Devices and patches next to their models, so Live, Max and Pd find the `.ts` beside them."""
    outputs = {}
    for kind in ("audio", "midi"):
        model = ctx.state.output(f"export_{kind}", "model")
        invoke(["after-device", "build", str(model), "--out", str(model.parent), "--name", model.stem, "--force"])
        outputs.update({f"{kind}_{ext}": model.with_suffix(f".{ext}") for ext in ("amxd", "maxpat", "pd")})
        outputs[f"{kind}_presets"] = model.parent / bank_file(model)  # written by the export, referenced here
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
                "--out", str(outputs[out]), "--guidance_timbre", str(GUIDANCE_TIMBRE), "--seed", str(ctx.options.seed)])
    shutil.copyfile(ctx.state.output("export_audio", "map"), outputs["map"])
    return outputs


def _check(ctx: StageContext) -> dict[str, Path]:
    """Measure the transfer (finite, non-silent, timbre moved) and the codec (latent spread, reconstruction,
    timbre separability); keep the numbers in renders/check.json."""
    result = check_transfer(ctx.state.output("export_audio", "model"), ctx.state.output("render", "structure"),
                            ctx.state.output("render", "timbre"), ctx.state.output("render", "transfer"))
    codec = check_codec(ctx.state.output("export_codec", "offline"), DEMO_TIMBRES, SAMPLE_RATE, ctx.options.seed)
    path = ctx.out_dir / "renders" / "check.json"
    write_json_atomic(path, {**result.to_dict(), "codec": codec.to_dict()})
    return {"check": path}


def demo_stages() -> list[Stage]:
    """The demo, in order; the training shares add up to 69 % of the budget: on a busy 2-core machine the
    untimed stages (set-up, exports, renders, checks) take the other ~3 minutes of the default 10."""
    return [
        Stage("synthesize", "synthesize a dataset with known MIDI", 0.0, _synthesize),
        Stage("prepare_waveforms", "prepare_dataset (waveforms, for the codec)", 0.0, _prepare_waveforms),
        Stage("train_codec", "train_autoencoder (small codec)", 0.4, _train_codec),
        Stage("export_codec", "export_autoencoder (export.ts, export_stream.ts)", 0.0, _export_codec),
        Stage("prepare_latents", "prepare_dataset --emb_model_path (latents + MIDI)", 0.0, _prepare_latents),
        Stage("train_audio", "train --config base --config tiny (audio→audio)", 0.17, _train_after("audio", ["base", "tiny"])),
        Stage("train_midi", "train --config midi --config tiny (MIDI→audio)", 0.12, _train_after("midi", ["midi", "tiny"])),
        Stage("export_audio", "export (after.audio.demo.ts)", 0.0, _export_after("audio")),
        Stage("export_midi", "export_midi (after.midi.demo.ts)", 0.0, _export_after("midi")),
        Stage("build_devices", "after-device build (Live, Max, Pd)", 0.0, _build_devices),
        Stage("render", "transfer: timbre-transfer and MIDI-to-audio WAVs", 0.0, _render),
        Stage("check", "check the transfer (finite, non-silent, timbre moved) and the codec", 0.0, _check),
    ]
