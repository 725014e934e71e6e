"""Does the demo's codec carry the signal? Measured on held-out synthesized clips of the demo's timbres.

* latent spread: standard deviation of each latent channel over every held-out frame (a collapsed codec
  gives near-constant latents, which leave the diffusion model nothing to learn);
* reconstruction: multi-resolution STFT distance (the codec's training measure at the reference's log floor)
  and spectral convergence ||X - Y|| / ||X|| of 1024-point magnitude spectra (1 = no better than silence);
* timbre separability: leave-one-out nearest-centroid accuracy of the timbre label from each clip's
  time-averaged latents (per-channel mean and standard deviation, standardised); chance is 1 / n_timbres.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from after import synth
from after.codec.losses import multiresolution_stft_distance, stft_magnitude
from after.codec_ts import load_codec

MRSTFT_SCALES = (1024, 512, 256, 128, 64)
CLIP_SECONDS = 3.0
CLIPS_PER_TIMBRE = 4


@dataclass(frozen=True)
class CodecCheck:
    """Latent std per channel (median, min), reconstruction distances (means over clips), timbre accuracy."""

    latent_std_median: float
    latent_std_min: float
    mrstft: float
    spectral_convergence: float
    timbre_accuracy: float
    chance: float

    def to_dict(self) -> dict:
        return asdict(self)


def nearest_centroid_accuracy(features: np.ndarray, labels: np.ndarray) -> float:
    """Leave-one-out accuracy of the nearest class centroid on standardised `features` [n, d]."""
    features = (features - features.mean(0)) / (features.std(0) + 1e-12)
    classes = np.unique(labels)
    correct = 0
    for i in range(len(labels)):
        others = np.arange(len(labels)) != i
        centroids = np.stack([features[others & (labels == c)].mean(0) for c in classes])
        correct += int(classes[np.argmin(((centroids - features[i]) ** 2).sum(1))] == labels[i])
    return correct / len(labels)


def check_codec(codec_path: Path, timbres: Sequence[str], sample_rate: int, seed: int) -> CodecCheck:
    """Measure the codec `.ts` on `CLIPS_PER_TIMBRE` held-out clips of each timbre (seeds the training set
    never used), encoded and decoded whole (offline, batch 1)."""
    codec = load_codec(codec_path)
    n = int(CLIP_SECONDS * sample_rate) // codec.ratio * codec.ratio
    latents, features, labels, mrstft, convergence = [], [], [], [], []
    for t, timbre in enumerate(timbres):
        for k in range(CLIPS_PER_TIMBRE):
            kind = "chords" if k % 2 else "melody"
            clip = synth.make_clip(timbre, kind, CLIP_SECONDS, sample_rate, 20_000 + 1000 * seed + 100 * t + k)
            x = torch.from_numpy(clip.audio[:n].astype(np.float32)).reshape(1, 1, n)
            z = codec.encode(x)[0]  # [latent_size, frames]
            y = codec.decode(z[None])
            latents.append(z)
            features.append(torch.cat([z.mean(-1), z.std(-1)]).numpy())
            labels.append(t)
            mrstft.append(float(multiresolution_stft_distance(y, x, MRSTFT_SCALES)))
            xm, ym = stft_magnitude(x, 1024), stft_magnitude(y, 1024)
            convergence.append(float(torch.linalg.norm(xm - ym) / torch.linalg.norm(xm)))
    std = torch.cat(latents, -1).std(-1)
    return CodecCheck(float(std.median()), float(std.min()), float(np.mean(mrstft)), float(np.mean(convergence)),
                      nearest_centroid_accuracy(np.stack(features), np.array(labels)), 1.0 / len(timbres))
