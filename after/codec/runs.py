"""Codec run folders: `<save_dir>/<name>/` with `config.yaml`, `checkpoints/last.ckpt`,
`checkpoints/step=<N>.ckpt`, TensorBoard logs (`tensorboard/`), and after export `export.ts` and
`export_stream.ts`. `load_codec_run` is the only way the exporter reads one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from after.codec.config import CodecConfig
from after.codec.model import build_codec
from after.config import load_saved_config
from after.errors import InputError
from after.training.run_folder import checkpoint_path

CONFIG_FILE = "config.yaml"


@dataclass
class CodecRun:
    """A trained codec run: its config, the codec (eval mode, CPU, weights of the loaded checkpoint), the
    generator step of that checkpoint and the folder."""

    config: CodecConfig
    codec: nn.Module  # the family's codec module (`encode`, `decode`, `latency`)
    step: int
    run_dir: Path


def load_codec_run(run_dir: str | Path, step: int | None = None) -> CodecRun:
    """Read a run folder written by `after train_autoencoder` at `step` (default: `last.ckpt`)."""
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
    codec.eval()
    return CodecRun(cfg, codec, saved_step, run_dir)
