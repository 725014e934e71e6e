"""Inputs of the export tests, made the way the real pipeline lays them out: a streaming codec `.ts`, a run
folder (`config.yaml`, `codec.json`, `checkpoints/last.ckpt` with randomly initialised tiny networks) and a
dataset of latents with labels and source files."""

from pathlib import Path
from typing import Sequence

import numpy as np
import pytest
import torch

from after.config import config_from_dict
from after.data.store import DatabaseWriter, Record
from after.diffusion.builders import build_networks
from after.diffusion.config import DiffusionConfig
from after.diffusion.runs import write_untrained_run
from after.nn_tilde.module import save_nn_model
from tests.helpers.fake_models import BlockDCTCodec

# Small but complete networks: every layer type of the real presets, a few hundred thousand parameters.
TINY_MODEL = {
    "denoiser": {"embed_dim": 32, "n_layers": 2, "n_heads": 2, "rotary_dims": 8, "noise_features": 8,
                 "dropout": 0.0},
    "timbre_encoder": {"channels": [32, 32, 64], "dilations": [2], "res2net_scale": 4, "se_channels": 8,
                       "attention_channels": 8},
    "structure_encoder": {"channels": [16, 16], "dropout": 0.0},
}


@pytest.fixture
def one_thread():
    """Heavy export tests run on one thread (the machine is shared); the previous count is restored."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class StreamingDCTCodec(BlockDCTCodec):
    """The block-DCT codec with the streaming codec's `reset_state()` (it is stateless: blocks are
    independent), i.e. a codec that streams with zero latency."""

    @torch.jit.export
    def reset_state(self) -> None:
        pass


def make_streaming_codec(path: Path, ratio: int = 256, latent_size: int = 16, sample_rate: int = 16000,
                         streaming: bool = True) -> Path:
    """The codec with the metadata of our codec exports (`streaming: false` like an `export.ts`)."""
    model = StreamingDCTCodec(ratio, latent_size, sample_rate)
    save_nn_model(model, path, {"kind": "codec", "streaming": streaming, "sample_rate": sample_rate, "ratio": ratio,
                                "latent_size": latent_size, "latency_samples": 0, "causal": True})
    return path


def tiny_config(midi: bool = False, **model_overrides) -> DiffusionConfig:
    model = {**TINY_MODEL, **model_overrides}
    if midi:
        model.update(structure_type="midi", zs=128)
    return config_from_dict(DiffusionConfig, {"model": model, "train": {"n_signal": 16}})


def make_run(run_dir: Path, codec_path: Path, ratio: int, latent_size: int, sample_rate: int, midi: bool = False,
             seed: int = 0, **model_overrides) -> Path:
    """A run folder as `after train` writes it, holding randomly initialised networks (step 0)."""
    config = tiny_config(midi, **model_overrides)
    torch.manual_seed(seed)
    networks = build_networks(config.model, latent_size)
    with torch.no_grad():  # the conditioning layers start at zero; perturb them so every input matters
        for module in (networks.denoiser, networks.timbre_encoder, networks.structure_encoder):
            for parameter in module.parameters() if module is not None else ():
                parameter.add_(0.05 * torch.randn_like(parameter))
    return write_untrained_run(run_dir, config, networks, {"path": str(codec_path), "ratio": ratio,
                                                           "latent_size": latent_size, "sample_rate": sample_rate})


def make_latent_db(path: Path, latent_size: int, ratio: int, labels: Sequence[str], per_label: int = 12,
                   n_frames: int = 32, sample_rate: int = 16000, seed: int = 0) -> Path:
    """A dataset of latents only: each label has its own mean spectrum, items differ by noise."""
    rng = np.random.default_rng(seed)
    writer = DatabaseWriter(path)
    records = []
    for label in labels:
        centre = rng.normal(0, 1, (latent_size, 1))
        for item in range(per_label):
            latents = (centre + 0.3 * rng.normal(size=(latent_size, n_frames))).astype(np.float32)
            records.append(Record(latents=latents, metadata={"source": f"/audio/{label}/take{item}.wav",
                                                             "chunk_index": 0, "label": label}))
    writer.put_records(0, records)
    writer.write_info({"sample_rate": sample_rate, "num_signal": n_frames * ratio, "n_records": len(records),
                       "has_waveform": False, "has_midi": False, "labels": sorted(labels),
                       "latents": {"state": "valid", "shape": [latent_size, n_frames], "ratio": ratio}})
    writer.close()
    return path


def make_export(folder: Path, kind: str = "audio", ratio: int = 256, latent_size: int = 16,
                sample_rate: int = 16000, labels: Sequence[str] = ("brass", "keys", "voice"), n_poly: int = 4,
                **model_overrides):
    """Codec + run + dataset in `folder`, exported as `after export` does (`export_model`: the `.ts`, its preset
    bank and map picture); returns the `ExportedModel`."""
    from after.tools.export_model import export_model

    folder.mkdir(parents=True, exist_ok=True)
    codec = make_streaming_codec(folder / "export_stream.ts", ratio, latent_size, sample_rate)
    run = make_run(folder / "run", codec, ratio, latent_size, sample_rate, midi=kind == "midi", **model_overrides)
    db = make_latent_db(folder / "db", latent_size, ratio, labels, sample_rate=sample_rate)
    return export_model(run, codec, kind, [db], n_poly=n_poly, n_presets=4)
