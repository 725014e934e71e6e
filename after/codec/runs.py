"""Codec run folders: `<save_dir>/<name>/` with `config.yaml`, `checkpoints/last.ckpt`,
`checkpoints/step=<N>.ckpt`, TensorBoard logs (`tensorboard/`), and after export `export.ts` and
`export_stream.ts`."""

from __future__ import annotations

import re
from pathlib import Path

import torch

from after.codec.config import CodecConfig
from after.codec.model import Codec, build_codec
from after.config import load_saved_config
from after.errors import InputError
from after.run_folder import CHECKPOINT_DIR, LAST_CHECKPOINT, step_checkpoint_name

CONFIG_FILE = "config.yaml"
STEP_PATTERN = re.compile(r"step=(\d+)\.ckpt$")


def checkpoint_path(run_dir: str | Path, step: int | None = None) -> Path:
    """`last.ckpt` (step None) or `step=<step>.ckpt` of a run; `InputError` naming what exists otherwise."""
    folder = Path(run_dir) / CHECKPOINT_DIR
    path = folder / (LAST_CHECKPOINT if step is None else step_checkpoint_name(step))
    if not path.exists():
        steps = sorted(int(m.group(1)) for p in folder.glob("step=*.ckpt") if (m := STEP_PATTERN.search(p.name)))
        found = f"saved steps: {', '.join(map(str, steps))}" if steps else "no checkpoint saved yet"
        raise InputError(f"{path}: checkpoint not found ({found}); train longer or pick another --step")
    return path


def load_codec_run(run_dir: str | Path, step: int | None = None) -> tuple[CodecConfig, Codec, int]:
    """The config, the codec (eval mode, weights of the checkpoint) and the checkpoint's step of a run."""
    run_dir = Path(run_dir)
    if not (run_dir / CONFIG_FILE).exists():
        raise InputError(f"{run_dir}: not a codec run folder (no {CONFIG_FILE}); give the folder made by "
                         f"`after train_autoencoder` (<save_dir>/<name>)")
    cfg = load_saved_config(CodecConfig, run_dir / CONFIG_FILE)
    path = checkpoint_path(run_dir, step)
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=False)
        state = {k[len("codec."):]: v for k, v in checkpoint["state_dict"].items() if k.startswith("codec.")}
        codec = build_codec(cfg.model)
        codec.load_state_dict(state)
        saved_step = int(checkpoint["state_dict"]["step"])
    except (KeyError, RuntimeError, EOFError) as exc:
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: not a codec checkpoint of this config ({first}); check the run folder") from None
    return cfg, codec.eval(), saved_step
