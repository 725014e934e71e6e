"""`load_run`: the only way the exporter and `after transfer` read a diffusion run folder."""

import json
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional

import torch

from after.config import load_saved_config
from after.diffusion.builders import Networks, build_networks
from after.diffusion.config import DiffusionConfig
from after.diffusion.latent_stats import LatentStandardizer, LatentStats, identity_stats
from after.diffusion.training.run import CODEC_FILE, CONFIG_FILE, DATABASES_FILE
from after.errors import InputError
from after.training.run_folder import checkpoint_path

LATENT_NORM_PREFIX = "latent_norm"  # `DiffusionSystem.latent_norm`: its buffers' prefix in a checkpoint
FEATURE_NORM_PREFIX = "feature_norm"  # `DiffusionSystem.feature_norm` (runs with model.structure_features)


@dataclass
class LoadedRun:
    """A trained run: its config, networks (EMA denoiser, eval mode, CPU), `codec.json` contents (`path`,
    `ratio`, `latent_size`, `sample_rate`), folder, training step of the loaded checkpoint, and the latent
    standardisation the networks were trained with: networks take `latent_norm.normalize(codec latents)`, and
    the codec decodes `latent_norm.denormalize(samples)`. With `model.structure_features`, `feature_norm`
    standardises the raw descriptors [B, F, T] the structure encoder reads after the latents (else None)."""

    config: DiffusionConfig
    networks: Networks
    codec: Dict[str, Any]
    run_dir: Path
    step: int
    latent_norm: LatentStandardizer
    feature_norm: Optional[LatentStandardizer] = None

    def training_databases(self) -> list[Path]:
        """The databases the run was trained on (`databases.json`); `InputError` when the run does not record
        them or they have moved."""
        record = self.run_dir / DATABASES_FILE
        if not record.exists():
            raise InputError(f"{self.run_dir}: the run does not record its training databases; give them with "
                             f"--db_path")
        paths = [Path(p) for p in json.loads(record.read_text(encoding="utf-8"))["db_paths"]]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise InputError(f"{missing[0]}: training database of {self.run_dir} not found (moved or deleted); "
                             f"give its new location with --db_path")
        return paths


def checkpoint_modules(networks: Networks) -> Dict[str, Any]:
    """The networks by the prefix of their weights in a run's checkpoint (`None`: not in this model)."""
    return {"ema_denoiser": networks.denoiser, "timbre_encoder": networks.timbre_encoder,
            "structure_encoder": networks.structure_encoder, "classifier": networks.classifier}


def write_untrained_run(run_dir: Path, config: DiffusionConfig, networks: Networks, codec: Dict[str, Any],
                        latent_stats: Optional[LatentStats] = None, feature_stats: Optional[LatentStats] = None
                        ) -> Path:
    """A run folder as `after train` leaves it (config, codec.json, checkpoints/last.ckpt at step 0) holding
    `networks` as they are: what benchmarks and tests export without training. `codec`: the codec.json
    fields (`path`, `ratio`, `latent_size`, `sample_rate`); `latent_stats`: the standardisation stored with the
    weights (default mean 0, std 1: untrained networks have seen no latents to measure); `feature_stats`: the
    same for the `model.structure_features` descriptors (stored only when the config has some)."""
    from after.config import save_config
    from after.io import write_json_atomic

    state = {f"{prefix}.{k}": v for prefix, module in checkpoint_modules(networks).items() if module is not None
             for k, v in module.state_dict().items()}
    norm = LatentStandardizer(latent_stats or identity_stats(int(codec["latent_size"])))
    state.update({f"{LATENT_NORM_PREFIX}.{k}": v for k, v in norm.state_dict().items()})
    if config.model.structure_features:
        features = LatentStandardizer(feature_stats or identity_stats(len(config.model.structure_features)))
        state.update({f"{FEATURE_NORM_PREFIX}.{k}": v for k, v in features.state_dict().items()})
    (run_dir / "checkpoints").mkdir(parents=True, exist_ok=True)
    save_config(config, run_dir / CONFIG_FILE)
    write_json_atomic(run_dir / CODEC_FILE, codec)
    torch.save({"state_dict": state, "global_step": 0}, run_dir / "checkpoints" / "last.ckpt")
    return run_dir


def load_run(run_dir: str | Path, step: Optional[int] = None) -> LoadedRun:
    """Read a run folder written by `after train`: networks with the EMA denoiser weights, in eval mode."""
    run_dir = Path(run_dir)
    if not (run_dir / CONFIG_FILE).exists() or not (run_dir / CODEC_FILE).exists():
        raise InputError(f"{run_dir}: not a diffusion run folder (no {CONFIG_FILE} / {CODEC_FILE}); give the "
                         f"folder `after train` wrote (<out_path>/<name>)")
    config = load_saved_config(DiffusionConfig, run_dir / CONFIG_FILE)
    codec = json.loads((run_dir / CODEC_FILE).read_text(encoding="utf-8"))
    path = checkpoint_path(run_dir, step)
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except (RuntimeError, EOFError, OSError, ValueError, pickle.UnpicklingError) as exc:
        raise InputError(f"{path}: cannot read the checkpoint ({str(exc).splitlines()[0][:120]}); it may be "
                         f"truncated, pick another --step") from None
    networks = build_networks(config.model, int(codec["latent_size"]))
    weights = checkpoint["state_dict"]
    for prefix, module in checkpoint_modules(networks).items():
        if module is None:
            continue
        own = {k[len(prefix) + 1:]: v for k, v in weights.items() if k.startswith(prefix + ".")}
        if not own and prefix == "classifier":  # trained without the adversarial classifier
            networks.classifier = None
            continue
        try:
            module.load_state_dict(own)
        except RuntimeError:
            raise InputError(f"{path}: weights of '{prefix}' do not match {run_dir / CONFIG_FILE}; the config was "
                             f"edited after training, restore it") from None
        module.eval()
    latent_norm = LatentStandardizer(identity_stats(int(codec["latent_size"])))
    own = {k[len(LATENT_NORM_PREFIX) + 1:]: v for k, v in weights.items() if k.startswith(LATENT_NORM_PREFIX + ".")}
    if set(own) != set(latent_norm.state_dict()):
        raise InputError(f"{path}: no latent standardisation ({LATENT_NORM_PREFIX}.mean/std) in the checkpoint, so "
                         f"the scale its networks expect is unknown; retrain the run with `after train`")
    latent_norm.load_state_dict(own)
    feature_norm = None
    if config.model.structure_features:
        feature_norm = LatentStandardizer(identity_stats(len(config.model.structure_features)))
        own = {k[len(FEATURE_NORM_PREFIX) + 1:]: v for k, v in weights.items()
               if k.startswith(FEATURE_NORM_PREFIX + ".")}
        if set(own) != set(feature_norm.state_dict()) or own["mean"].shape != feature_norm.mean.shape:
            raise InputError(f"{path}: no descriptor standardisation for model.structure_features "
                             f"({FEATURE_NORM_PREFIX}.mean/std) in the checkpoint; the config was edited after "
                             f"training, restore it")
        feature_norm.load_state_dict(own)
        feature_norm.eval()
    return LoadedRun(config, networks, codec, run_dir, int(checkpoint["global_step"]), latent_norm.eval(),
                     feature_norm)
