"""Per-frame audio descriptors and beat clocks at the codec's latent frame rate (`--descriptors`, `--beat_track`).

Everything here returns one value per latent frame, so a feature lines up with `latents[:, t]`: frame t covers
samples `[t·hop, (t+1)·hop)` of the chunk, where `hop` is the codec ratio. A codec whose `encode` runs late
(a streaming `export_stream.ts` declares `latency_by_method.encode`, d frames) gives latents[:, t] of frame
t − d: its features are delayed by the same d frames (`delay_frames`, the analysis of silence before the chunk),
so that they still describe the audio the latents were computed from. Descriptors look at the causal window
of `n_fft = max(2048, hop)` samples that ends where the frame ends (zeros before the chunk start): a live stream
knows those samples when the frame arrives, so the nn~ export computes the same values with no lookahead
(`after.data.descriptor_analysis` holds the arithmetic, shared by the datasets, transfer and the export).

Descriptors (float32 [T] each, T = len(waveform) // hop):

* `loudness`: RMS level of the analysis window in dBFS (a full-scale sine reads −3 dB; silence −100 dB);
* `centroid`: spectral centroid in Hz (the spectrum's centre of mass: "brightness");
* `bandwidth`: spectral bandwidth in Hz (spread around the centroid);
* `rolloff`: frequency in Hz below which 85 % of the spectral energy lies;
* `flatness`: spectral flatness in [0, 1] (geometric / arithmetic mean of the power: 1 = white noise, ≈0 = a pure
  tone).

Silent frames (window level at or below −100 dBFS) read −100 dB and 0 for every spectral descriptor.

Beat clock (`--beat_track`): librosa's dynamic-programming beat tracker (Ellis 2007) finds the beat times of
the chunk; `beat_clock[t]` is the phase of frame t's centre within its beat interval, a ramp from 0 at a
beat to 1 just before the next one (before the first / after the last beat the ramp continues with the median
beat period). librosa has no downbeat tracker, so no `downbeat_clock` is computed (see docs/DATA.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from after.errors import InputError

DESCRIPTORS = ("loudness", "centroid", "bandwidth", "rolloff", "flatness")  # = descriptor_analysis.CODES
# `frame_features.window` of a database: how its descriptors were analysed. Only causal windows can be used as
# structure conditions (the export must compute the same values live).
DESCRIPTOR_WINDOW = "causal"
MIN_BEATS = 2  # a clock needs at least one beat period
BEAT_HOP = 512  # onset-envelope hop of the beat tracker (≈11.6 ms at 44.1 kHz), independent of the codec


def check_descriptor_names(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The names, deduplicated in order; `InputError` naming the valid ones for anything unknown."""
    unknown = [n for n in names if n not in DESCRIPTORS]
    if unknown:
        raise InputError(f"--descriptors {', '.join(unknown)}: unknown descriptor; valid: {', '.join(DESCRIPTORS)}")
    return tuple(dict.fromkeys(names))


def codec_encode_lag_frames(codec_path: str | Path, ratio: int) -> int:
    """Latent frames by which a codec `.ts`'s `encode` lags its input: `latency_by_method.encode` of our codec
    exports' metadata (0 for the offline `export.ts`, and for codecs that declare nothing)."""
    from after.nn_tilde.host import read_extra_files
    from after.nn_tilde.module import METADATA_FILE

    extra = read_extra_files(codec_path)
    metadata = json.loads(extra[METADATA_FILE]) if METADATA_FILE in extra else {}
    return int((metadata.get("latency_by_method") or {}).get("encode", 0)) // ratio


def compute_descriptors(waveform: np.ndarray, sample_rate: int, hop: int,
                        names: tuple[str, ...] = DESCRIPTORS, delay_frames: int = 0) -> dict[str, np.ndarray]:
    """Descriptors of a mono float waveform [N] (range ±1): name → float32 [max(1, N // hop)] (see the module
    doc), computed in float64 by `after.data.descriptor_analysis.DescriptorAnalysis`, the module the nn~
    export runs live; with `delay_frames` d, those of the waveform delayed by d frames (silence first)."""
    import torch

    from after.data.descriptor_analysis import DescriptorAnalysis, causal_frames

    names = tuple(names)
    if not names:
        return {}
    wave = torch.from_numpy(np.ascontiguousarray(waveform, dtype=np.float64))
    if wave.shape[-1] < hop:
        wave = torch.nn.functional.pad(wave, (0, hop - wave.shape[-1]))
    if delay_frames > 0:
        wave = torch.nn.functional.pad(wave, (delay_frames * hop, 0))[:wave.shape[-1]]
    with torch.no_grad():
        values = DescriptorAnalysis(names, sample_rate, hop)(causal_frames(wave[None], hop))[0]
    return {name: np.ascontiguousarray(values[i].numpy(), dtype=np.float32) for i, name in enumerate(names)}


@dataclass(frozen=True)
class BeatTrack:
    """Beat times in seconds from the chunk start, the tempo estimate and the per-frame clock float32 [T]."""

    beats: np.ndarray
    tempo_bpm: float
    clock: np.ndarray


def beat_clock(beats: np.ndarray, n_frames: int, frame_rate: float, delay_frames: int = 0) -> np.ndarray:
    """Phase in [0, 1) of each frame centre within its beat interval (see the module doc), frame t read at the
    time of frame t − `delay_frames`; zeros when fewer than two beats were found (no period to ramp over)."""
    if len(beats) < MIN_BEATS:
        return np.zeros(n_frames, dtype=np.float32)
    times = (np.arange(n_frames) - delay_frames + 0.5) / frame_rate
    period = float(np.median(np.diff(beats)))
    # Extend the beat grid with the median period on both sides so every frame has an enclosing interval.
    before = beats[0] - period * np.arange(int(np.ceil(max(beats[0] - times[0], 0) / period)) + 1, 0, -1)
    after = beats[-1] + period * np.arange(1, int(np.ceil(max(times[-1] - beats[-1], 0) / period)) + 2)
    grid = np.concatenate([before, beats, after])
    k = np.clip(np.searchsorted(grid, times, side="right") - 1, 0, len(grid) - 2)
    phase = (times - grid[k]) / (grid[k + 1] - grid[k])
    return np.clip(phase, 0.0, np.nextafter(1.0, 0.0)).astype(np.float32)


def track_beats(waveform: np.ndarray, sample_rate: int, hop: int, delay_frames: int = 0) -> BeatTrack:
    """Beats of a mono float waveform [N] with librosa's tracker (seconds from its start), and the beat clock at
    `hop` samples per frame, delayed by `delay_frames`."""
    import librosa

    onset = librosa.onset.onset_strength(y=waveform.astype(np.float32), sr=sample_rate, hop_length=BEAT_HOP)
    tempo, beats = librosa.beat.beat_track(onset_envelope=onset, sr=sample_rate, hop_length=BEAT_HOP, units="time")
    beats = np.asarray(beats, dtype=np.float64)
    n_frames = max(1, waveform.shape[-1] // hop)
    return BeatTrack(beats, float(np.atleast_1d(tempo)[0]),
                     beat_clock(beats, n_frames, sample_rate / hop, delay_frames))


@dataclass(frozen=True)
class FrameFeatureSpec:
    """Which frame features a dataset stores: descriptor names, whether it has a beat clock, and the delay in
    frames of the codec that made its latents (`codec_encode_lag_frames`), which the features follow."""

    descriptors: tuple[str, ...] = ()
    beat_track: bool = False
    delay_frames: int = 0

    def __bool__(self) -> bool:
        return bool(self.descriptors) or self.beat_track

    def union(self, other: "FrameFeatureSpec") -> "FrameFeatureSpec":
        return FrameFeatureSpec(tuple(dict.fromkeys(self.descriptors + other.descriptors)),
                                self.beat_track or other.beat_track, other.delay_frames)

    def describe(self, ratio: int) -> dict[str, object] | None:
        """The database's `frame_features` entry (None when it stores none)."""
        if not self:
            return None
        from importlib.metadata import version

        return {"ratio": ratio, "delay_frames": self.delay_frames, "descriptors": list(self.descriptors),
                "window": DESCRIPTOR_WINDOW if self.descriptors else None, "beat_clock": self.beat_track,
                "downbeat_clock": False,
                "beat_tracker": f"librosa {version('librosa')} beat_track" if self.beat_track else None}

    @classmethod
    def from_info(cls, info: dict[str, Any]) -> "FrameFeatureSpec":
        stored = info.get("frame_features") or {}
        return cls(tuple(stored.get("descriptors", ())), bool(stored.get("beat_clock", False)))


def frame_features(waveform: np.ndarray, sample_rate: int, hop: int,
                   spec: FrameFeatureSpec) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """The record arrays (`descriptor_<name>`, `beat_clock`: float32 [N // hop], delayed by `spec.delay_frames`)
    of one chunk, and the metadata that goes with them (`beats`: beat times in s from the chunk start,
    `tempo_bpm`)."""
    from after.data.store import BEAT_CLOCK, DESCRIPTOR_PREFIX

    arrays = {DESCRIPTOR_PREFIX + name: value for name, value in
              compute_descriptors(waveform, sample_rate, hop, spec.descriptors, spec.delay_frames).items()}
    metadata: dict[str, object] = {}
    if spec.beat_track:
        track = track_beats(waveform, sample_rate, hop, spec.delay_frames)
        arrays[BEAT_CLOCK] = track.clock
        metadata = {"beats": [round(float(b), 4) for b in track.beats], "tempo_bpm": round(track.tempo_bpm, 2)}
    return arrays, metadata
