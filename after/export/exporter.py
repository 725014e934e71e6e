"""`after export` / `after export_midi`: a trained run + the streaming codec → one self-describing nn~ `.ts`.

Steps: load the run (EMA weights) and the streaming codec, check they fit together; embed the training set
with the timbre encoder; fit the 2-D timbre map and draw its PNG; choose the preset bank; build the scripted
module (one copy of each network, the codec embedded once); save it under a temporary name with its
metadata and map image inside; reload it and drive every method as nn~ does; check every operator against the
libtorch of official nn~ builds (`after.nn_tilde.compat`); only then rename it into place. The preset bank and
map picture its devices share are written beside it by `after.tools.export_model`, above this layer and the
device kit's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch

from after.config import config_to_dict
from after.data.descriptors import codec_encode_lag_frames
from after.diffusion.latent_stats import (
    PIN_AUDIO,
    PIN_MIDI,
    PIN_NONE,
    RawLatentGenerator,
    StandardizedInput,
    StandardizedStructureStream,
)
from after.errors import InputError, ModelContractError
from after.export.descriptor_features import DescriptorAudioExport, DescriptorStream, FeatureStructureStream
from after.export.embed import embed_datasets
from after.export.inference import inference_form
from after.export.presets import DEFAULT_N_PRESETS, choose_presets
from after.export.streaming import model_latency_samples
from after.export.timbre_map import fit_timbre_map, render_map_png
from after.export.timbre_stages import StagedTimbreEncoder
from after.export.verify import verify_export
from after.io import atomic_path
from after.nn_tilde.codec_ts import CodecHandle, load_codec
from after.nn_tilde.compat import require_nn_tilde_compat
from after.nn_tilde.contract import MethodSpec, audio_methods, midi_methods
from after.nn_tilde.host import HOST_BUFFER_SIZES, read_extra_files
from after.nn_tilde.module import MAP_IMAGE_FILE, METADATA_FILE, NNModule, save_nn_model

DEFAULT_N_POLY = 8
TIMBRE_FRAMES = 128  # rolling window of timbre-audio latents fed to the timbre encoder (≈ 5.9 s at 44.1 kHz)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the `.ts` (its map picture and presets inside, in the metadata), with sizes for the
    report."""

    path: Path
    metadata: Dict[str, Any]
    file_bytes: int
    parameter_bytes: int


def codec_metadata(codec: CodecHandle) -> Dict[str, Any]:
    """The metadata JSON inside a codec `.ts` (empty for foreign codecs such as RAVE exports)."""
    extra = read_extra_files(codec.path)
    return json.loads(extra[METADATA_FILE]) if METADATA_FILE in extra else {}


def load_streaming_codec(path: str | Path, run_codec: Dict[str, Any]) -> CodecHandle:
    """Load the codec and check it streams (our metadata says so, or a foreign codec has `reset_state`) and
    matches the run's latent space."""
    codec = load_codec(path)
    streaming = codec_metadata(codec).get("streaming", hasattr(codec.module, "reset_state"))
    if not streaming or not hasattr(codec.module, "reset_state"):
        raise ModelContractError(f"{path}: not a streaming codec; give the export_stream.ts written by "
                                 f"`after export_autoencoder` (not export.ts)")
    if (codec.ratio, codec.latent_size) != (int(run_codec["ratio"]), int(run_codec["latent_size"])):
        raise InputError(f"{path}: codec has ratio {codec.ratio} and {codec.latent_size} latents but the run was "
                         f"trained on ratio {run_codec['ratio']} and {run_codec['latent_size']} latents; give the "
                         f"streaming export of the codec the run was trained with")
    return codec


def codec_latency(codec: CodecHandle, kind: str) -> int:
    """Latency the codec adds in samples (from its metadata; 0 if it declares none): encoder + decoder for
    audio→audio, the decoder alone for MIDI→audio."""
    metadata = codec_metadata(codec)
    by_method = metadata.get("latency_by_method", {})
    if kind == "midi" and "decode" in by_method:
        return int(by_method["decode"])
    return int(metadata.get("latency_samples", 0))


def codec_encode_delay_frames(codec: CodecHandle) -> int:
    """Latent frames by which the streaming codec's `encode` lags the offline one (its metadata's
    `latency_by_method.encode`; 0 for codecs that declare none): live descriptors are delayed as much."""
    return codec_encode_lag_frames(codec.path, codec.ratio)


def parameter_bytes(module: torch.nn.Module) -> int:
    """Bytes of every parameter and buffer of `module` (including an embedded ScriptModule codec)."""
    tensors = {id(t): t for t in list(module.parameters()) + list(module.buffers())}
    return sum(t.numel() * t.element_size() for t in tensors.values())


def build_export_module(run: Any, codec: CodecHandle, timbre_map: torch.nn.Module, midi: bool,
                        n_poly: int) -> NNModule:
    """The scripted-to-be nn~ module of a loaded run (see `after.diffusion.runs.load_run`)."""
    from after.diffusion.streaming import StreamingGenerator, StreamingStructureEncoder
    from after.export.audio import AudioExport
    from after.export.midi import MidiExport

    model_cfg = run.config.model
    networks = run.networks
    # The networks see standardised latents; the codec and the latent-carrying methods keep raw ones.
    norm = run.latent_norm
    pin_mode = (PIN_MIDI if midi else PIN_AUDIO) if model_cfg.pitch_pin else PIN_NONE
    generator = scripted(RawLatentGenerator(StreamingGenerator(inference_form(networks.denoiser), midi=midi), norm,
                                            pin_mode, model_cfg.zs))
    timbre_encoder = scripted(StagedTimbreEncoder(inference_form(networks.timbre_encoder), norm))
    common = dict(codec=codec.module, timbre_encoder=timbre_encoder, generator=generator,
                  timbre_map=timbre_map, ratio=codec.ratio, latent_size=codec.latent_size, zt=model_cfg.zt,
                  chunk_frames=model_cfg.denoiser.chunk_size, timbre_frames=TIMBRE_FRAMES)
    if midi:
        module: NNModule = MidiExport(n_poly=n_poly, **common)
    elif model_cfg.structure_features:  # descriptors computed live from the structure audio
        encoder = StreamingStructureEncoder(inference_form(networks.structure_encoder))
        descriptors = DescriptorStream(model_cfg.structure_features, int(run.codec["sample_rate"]), codec.ratio,
                                       codec_encode_delay_frames(codec))
        structure_stream = scripted(FeatureStructureStream(encoder, norm, run.feature_norm))
        module = DescriptorAudioExport(descriptor_stream=scripted(descriptors), structure_stream=structure_stream,
                                       zs=model_cfg.zs, pin_pitch=model_cfg.pitch_pin, **common)
    else:
        structure = scripted(StandardizedStructureStream(
            StreamingStructureEncoder(inference_form(networks.structure_encoder)), norm))
        module = AudioExport(structure_stream=structure, zs=model_cfg.zs, pin_pitch=model_cfg.pitch_pin, **common)
    # Hosts that call without no_grad must not build autograd graphs through the streaming state.
    module.requires_grad_(False)
    return module.eval()


def scripted(module: torch.nn.Module) -> torch.jit.ScriptModule:
    """`module` in eval mode without gradients, scripted on its own: the export holds its networks behind
    interfaces (`after.export.streaming`), and TorchScript takes a module there only once it is scripted."""
    module.requires_grad_(False)
    return torch.jit.script(module.eval())


def export_specs(kind: str, codec: CodecHandle, model_cfg: Any, n_poly: int) -> List[MethodSpec]:
    if kind == "midi":
        return midi_methods(codec.ratio, codec.latent_size, n_poly, model_cfg.zt)
    return audio_methods(codec.ratio, codec.latent_size, model_cfg.zs, model_cfg.zt)


def export_run(run_dir: str | Path, codec_path: str | Path, kind: str, db_paths: Sequence[str | Path] = (),
               step: Optional[int] = None, name: Optional[str] = None, out_dir: Optional[str | Path] = None,
               n_poly: int = DEFAULT_N_POLY, n_presets: int = DEFAULT_N_PRESETS) -> ExportResult:
    """Export run `run_dir` as `<out_dir>/after.<kind>.<name>.ts` (kind "audio" or "midi"); see module doc.
    `db_paths` (for the timbre map and presets) defaults to the run's training databases."""
    from after.diffusion.runs import load_run

    run_dir = Path(run_dir)
    run = load_run(run_dir, step)
    midi = run.config.model.midi
    if midi != (kind == "midi"):
        right = "after export_midi" if midi else "after export"
        raise InputError(f"{run_dir}: this run is a {'MIDI' if midi else 'audio'}→audio model; export it with "
                         f"`{right}`")
    if midi and n_poly < 1:
        raise InputError(f"--n_poly {n_poly}: give at least one voice")
    db_paths = list(db_paths) or run.training_databases()
    codec = load_streaming_codec(codec_path, run.codec)
    sample_rate = int(run.codec.get("sample_rate") or codec.sample_rate or 0)
    name = name or run_dir.name
    out_dir = Path(out_dir) if out_dir else run_dir
    path = out_dir / f"after.{kind}.{name}.ts"

    embeddings = embed_datasets(db_paths, StandardizedInput(run.networks.timbre_encoder, run.latent_norm),
                                codec.latent_size, n_frames=run.config.train.n_signal)
    timbre_map = fit_timbre_map(embeddings.vectors)
    positions = positions_of(timbre_map, embeddings.vectors)
    presets = choose_presets(embeddings.vectors, positions, embeddings.labels, embeddings.sources, n_presets)
    png = render_map_png(positions, embeddings.labels)

    module = build_export_module(run, codec, timbre_map, midi, n_poly)
    model_cfg = run.config.model
    latency = codec_latency(codec, kind)
    chunk = model_cfg.denoiser.chunk_size
    metadata = {
        "kind": kind, "name": name, "sample_rate": sample_rate, "ratio": codec.ratio,
        "latent_size": codec.latent_size, "zs": model_cfg.zs, "zt": model_cfg.zt, "n_poly": n_poly if midi else 0,
        "chunk_frames": chunk, "timbre_frames": TIMBRE_FRAMES,
        "timbre_refresh_frames": module.timbre_refresh_frames,
        "latency_samples": latency,
        "latency_samples_by_buffer": {str(b): latency + model_latency_samples(b, codec.ratio, chunk)
                                      for b in HOST_BUFFER_SIZES},
        "latency": {"codec_samples": latency, "host": "nn~ adds its own buffering, about 2 × buffer - 64 samples",
                    "note": "buffers smaller than chunk_frames × ratio add the chunk accumulation delay"},
        "presets": [p.to_dict() for p in presets],
        "labels": sorted(set(embeddings.labels)),
        "map": {"projection": "pca", "image": MAP_IMAGE_FILE, "items": int(len(positions))},
        "latent_standardization": {"mean": run.latent_norm.mean.tolist(), "std": run.latent_norm.std.tolist(),
                                   "applied": "inside the model, after codec.encode and before codec.decode; "
                                              "latents in and out of nn~ methods are raw codec latents"},
        "config": config_to_dict(run.config), "step": run.step, "codec": {"path": str(codec.path)},
        **structure_features_metadata(run, codec),
        "torch_version": torch.__version__,
    }
    specs = export_specs(kind, codec, model_cfg, n_poly)
    with atomic_path(path) as tmp:
        save_nn_model(module, tmp, metadata, {MAP_IMAGE_FILE: png})
        verify_export(tmp, specs, sample_rate)
        require_nn_tilde_compat(tmp, shown_as=path)
        file_bytes = tmp.stat().st_size
    return ExportResult(path, metadata, file_bytes, parameter_bytes(module))


def structure_features_metadata(run: Any, codec: CodecHandle) -> Dict[str, Any]:
    """`structure_features` of the metadata (models with `model.structure_features` only): the descriptors the
    export computes from its structure audio, their standardisation and the delay matching the codec's."""
    names = list(run.config.model.structure_features)
    if not names:
        return {}
    return {"structure_features": {"names": names, "mean": run.feature_norm.mean.tolist(),
                                   "std": run.feature_norm.std.tolist(),
                                   "delay_frames": codec_encode_delay_frames(codec),
                                   "computed": "inside the model from the structure audio (causal windows, "
                                               "after.data.descriptors)"}}


def positions_of(timbre_map: torch.nn.Module, vectors: np.ndarray) -> np.ndarray:
    """Map coordinates [N, 2] of timbre vectors [N, zt]."""
    with torch.no_grad():
        return timbre_map.to_map(torch.from_numpy(vectors).float().T[None])[0].T.numpy()
