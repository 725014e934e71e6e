"""The measurements of the benchmark suite; each returns a list of table rows (dicts).

They drive the real commands and library functions on the models and databases of a finished demo folder
(`after demo`), on the CPU.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import lightning as L

from after.data import synth
from after.demo.invoke import run_commands
from after.demo.stages import AUDIO_PRESETS, CODEC_PRESET, MIDI_PRESETS
from after.nn_tilde.host import read_model_info

Row = dict[str, Any]


def timed(func: Callable[[], Any]) -> float:
    """Wall seconds taken by `func()`."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


class StepClock(L.Callback):
    """Records the wall time at the end of every training step."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def on_train_batch_end(self, *args: Any) -> None:
        self.times.append(time.perf_counter())

    def steps_per_second(self, warmup: int) -> float:
        """Steps per second after the first `warmup` steps (start-up and first-call costs excluded)."""
        measured = self.times[warmup:]
        return (len(measured) - 1) / (measured[-1] - measured[0])


def prepare_throughput(work: Path, codec: Path, sample_rate: int, minutes: float) -> Iterator[Row]:
    """`after prepare_dataset` on `minutes` of synthesized audio: waveforms only, then latents + MIDI."""
    audio = synth.write_dataset(work / "audio", minutes=minutes, sample_rate=sample_rate, seed=1).root
    common = ["--input_path", str(audio), "--sample_rate", str(sample_rate), "--num_signal", "32768",
              "--waveform_augmentation", "none", "--overwrite"]
    variants = {
        "waveforms (codec data)": ["--save_waveform"],
        "latents + MIDI (AFTER data)": ["--emb_model_path", str(codec), "--midi_path", str(audio),
                                        "--parser", "simple_midi"],
    }
    for label, flags in variants.items():
        argv = ["after", "prepare_dataset", *common, "--output_path", str(work / label.split()[0]), *flags]
        seconds = timed(lambda argv=argv: run_commands([argv]))
        yield {"data": label, "audio (min)": minutes, "time (s)": round(seconds, 1),
               "audio hours per minute": round(minutes / seconds, 2)}


def codec_training_speed(work: Path, db: Path, sample_rate: int, steps: tuple[int, int] = (10, 40)) -> Row:
    """Steps per second of `after train_autoencoder` (the demo's codec preset): the difference of two runs
    of different lengths, so start-up, the final validation and saving cancel out."""
    seconds = []
    for n in steps:
        argv = ["after", "train_autoencoder", "--name", f"speed{n}", "--save_dir", str(work), "--db_path", str(db),
                "--config", CODEC_PRESET, "--gpu", "-1", "--max_steps", str(n), "--save_every", str(n),
                "--val_every", str(n)]
        seconds.append(timed(lambda argv=argv: run_commands([argv])))
    return {"trainer": f"codec {CODEC_PRESET} at {sample_rate} Hz (batch 8 × 16384 samples)",
            "steps/s": round((steps[1] - steps[0]) / (seconds[1] - seconds[0]), 2)}


def diffusion_training_speed(work: Path, db: Path, codec: Path, steps: int = 12, warmup: int = 4) -> Iterator[Row]:
    """Optimizer steps per second of `after train` on the CPU: the demo's sizes and the `base` preset."""
    from after.diffusion.training.run import TrainOptions, train_diffusion

    setups = {
        "AFTER audio→audio as in the demo (batch 32 × 32 frames)": (AUDIO_PRESETS, ()),
        "AFTER MIDI→audio as in the demo (batch 32 × 32 frames)": (MIDI_PRESETS, ()),
        "AFTER base (batch 8 × 32 frames)": (("base",), ("train.batch_size=8", "train.n_signal=32",
                                                         "train.val_every=100000")),
    }
    for index, (label, (presets, overrides)) in enumerate(setups.items()):
        clock = StepClock()
        train_diffusion(TrainOptions(name=f"speed{index}", db_paths=[db], codec_path=codec, presets=presets,
                                     overrides=(*overrides, f"train.max_steps={steps}", f"train.save_every={steps}"),
                                     out_path=work / "runs", accelerator="cpu", devices=1, progress_bar=False,
                                     extra_callbacks=[clock]))
        yield {"trainer": label, "steps/s": round(clock.steps_per_second(warmup), 2)}


def streaming_cost(model: Path, steps: str = "1,4", buffers: str = "2048,8192") -> Iterator[Row]:
    """`after bench MODEL --json` (one thread): per nn~ method, buffer and number of diffusion steps."""
    command = [str(Path(sys.executable).parent / "after"), "bench", str(model), "--json", "--threads", "1",
               "--steps", steps, "--buffers", buffers, "--repeats", "5"]
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    for row in report["rows"]:
        yield {"model": model.name, "method": row["method"], "buffer": row["buffer"],
               "steps": row["nb_steps"] if row["nb_steps"] is not None else "-",
               "ms / buffer (median)": round(row["median_ms"], 1),
               "real-time factor": round(row["real_time_factor"], 1)}


def latency(model: Path) -> Row:
    """The model's own latency at each host buffer, as its metadata declares it (`latency_samples_by_buffer`,
    which the exporter derives from the codec's latency and the streaming chunk; `tests/export/test_audio.py`
    and `tests/codec/test_export.py` check it against the stream's delay behind the offline model). nn~ adds
    its own buffering on top, which depends on the host and is not measured here (NN_TILDE_AND_FORMATS.md §F)."""
    info = read_model_info(model)
    sample_rate = int(info.metadata["sample_rate"])
    by_buffer = info.metadata.get("latency_samples_by_buffer", {})
    row: Row = {"model": model.name}
    for buffer in (2048, 8192):
        own = int(by_buffer.get(str(buffer), info.metadata.get("latency_samples", 0)))
        row[f"at buffer {buffer} (ms)"] = round(1000 * own / sample_rate, 1)
    return row


def device_build_time(model: Path, out: Path, repeats: int = 3) -> Row:
    """Best-of-`repeats` wall time of `after-device build` for one model (the whole command, start-up included)."""
    seconds = min(timed(lambda: run_commands([["after-device", "build", str(model), "--out", str(out), "--force"]]))
                  for _ in range(repeats))
    return {"model": model.name, "build time (s)": round(seconds, 2)}
