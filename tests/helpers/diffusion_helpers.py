"""Synthetic data for the diffusion tests: tones on the frequency grid of the `BlockDCTCodec` and latent
databases written through the data engineer's store API.

With ratio 256 at 16 kHz the codec's DCT bin k sits at k · 31.25 Hz. A partial on an even bin completes a
whole number of periods per block, so a held note gives the same latent frame in every block: the latents
are a clean picture of (pitch, timbre), which a small model learns in minutes on a CPU.
"""

from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np
import torch

from after.data.midi import Note
from after.data.store import DatabaseWriter, Record

SAMPLE_RATE = 16000
RATIO = 256
LATENT_SIZE = 64
# MIDI pitch → fundamental DCT bin (even bins; 250, 312.5, 375, 437.5, 500 Hz).
PITCH_BINS: Dict[int, int] = {59: 8, 63: 10, 66: 12, 69: 14, 71: 16}
# Harmonic amplitude profiles of the timbres (equal energy after normalisation).
TIMBRES: Dict[str, Sequence[float]] = {
    "sine": (1.0, 0.15),
    "square": (1.0, 0.0, 0.45, 0.0, 0.3, 0.0, 0.2),
    "saw": (1.0, 0.6, 0.45, 0.35, 0.3, 0.25, 0.2),
}
PEAK = 0.5


def frame_seconds(frames: int) -> float:
    return frames * RATIO / SAMPLE_RATE


def melody(rng: np.random.Generator, n_frames: int) -> List[Note]:
    """Notes of 12–24 frames (0.19–0.38 s) separated by 3–6 silent frames, on block boundaries."""
    notes, frame = [], int(rng.integers(0, 4))
    while True:
        length = int(rng.integers(12, 25))
        if frame + length > n_frames:
            return notes
        pitch = int(rng.choice(list(PITCH_BINS)))
        notes.append(Note(pitch, frame_seconds(frame), frame_seconds(frame + length), 100))
        frame += length + int(rng.integers(3, 7))


def render(notes: Sequence[Note], timbre: str, n_frames: int) -> np.ndarray:
    """Mono float32 [n_frames · RATIO] audio of `notes` (on the grid of `melody`) with a timbre profile."""
    n = np.arange(n_frames * RATIO)
    out = np.zeros(n_frames * RATIO)
    profile = np.asarray(TIMBRES[timbre])
    for note in notes:
        k = PITCH_BINS[note.pitch]
        span = slice(round(note.start * SAMPLE_RATE), round(note.end * SAMPLE_RATE))
        for harmonic, amplitude in enumerate(profile, start=1):
            if amplitude and harmonic * k < LATENT_SIZE:
                out[span] += amplitude * np.cos(np.pi * harmonic * k * (n[span] + 0.5) / RATIO)
    return (PEAK * out / np.sqrt(np.square(profile).sum())).astype(np.float32)


def write_latent_db(path: Path, codec: torch.jit.ScriptModule, clips: Sequence[tuple], n_frames: int,
                    with_midi: bool = True, with_latents: bool = True) -> Path:
    """Write a database (store API, schema of `after.data.store`) from clips `(notes, timbre)` rendered to
    `n_frames` frames and encoded with `codec`."""
    writer = DatabaseWriter(path)
    records = []
    for index, (notes, timbre) in enumerate(clips):
        audio = render(notes, timbre, n_frames)
        latents = codec.encode(torch.from_numpy(audio)[None, None])[0].numpy() if with_latents else None
        records.append(Record(waveform=None, latents=latents, notes=list(notes) if with_midi else None,
                              metadata={"source": f"clip{index}.wav", "chunk_index": 0, "label": timbre}))
    writer.put_records(0, records)
    latents_info = {"state": "valid", "shape": [LATENT_SIZE, n_frames], "ratio": RATIO, "augment_keys": []} \
        if with_latents else None
    writer.write_info({"format": "after-dataset", "sample_rate": SAMPLE_RATE, "num_signal": n_frames * RATIO,
                       "n_records": len(records), "has_waveform": False, "has_midi": with_midi,
                       "latents": latents_info, "labels": sorted({t for _, t in clips})})
    writer.close()
    return path


def random_clips(seed: int, per_timbre: int, n_frames: int) -> List[tuple]:
    rng = np.random.default_rng(seed)
    return [(melody(rng, n_frames), timbre) for timbre in TIMBRES for _ in range(per_timbre)]


# Networks small enough for unit tests (seconds per run).
SMALL_MODEL = (
    "model.denoiser.embed_dim=64", "model.denoiser.n_heads=2", "model.denoiser.n_layers=1",
    "model.timbre_encoder.channels=[16,16,32]", "model.timbre_encoder.dilations=[2]",
    "model.timbre_encoder.res2net_scale=2", "model.timbre_encoder.se_channels=8",
    "model.timbre_encoder.attention_channels=8", "model.structure_encoder.channels=[16]",
    "model.classifier.channels=[16,16]", "model.classifier.strides=[1,2]",
)
