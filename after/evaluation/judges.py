"""Judges that are not the model: an instrument classifier on hand-made timbre features, and a cached
basic-pitch transcriber.

The classifier must judge *timbre*, not pitch or loudness: its features are statistics over the sounding
frames only (silence and rests are dropped) of MFCCs 1–19 (c0, the overall level, left out), their deltas
(attack and vibrato character), spectral flatness, spectral contrast, the centroid and roll-off *relative to
the frame's fundamental region* (log ratio to the 30th-percentile frequency of the frame's energy, so a higher
note does not look brighter) and the envelope's decay (plucked and struck notes fall, blown and bowed ones
hold). They are standardised and fed to a multinomial logistic regression (scikit-learn).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from after.data.midi import Note

N_MFCC = 20
N_FFT = 1024
HOP = 256
SOUNDING_DB = -35.0  # frames within 35 dB of the clip's loudest frame count as sounding


def _log_fundamental_region(power: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """Log frequency below which 30 % of each frame's energy lies ([frames]): follows the played pitch, so
    dividing brightness measures by it removes most of their pitch dependence."""
    cumulative = np.cumsum(power, axis=0)
    cumulative /= np.maximum(cumulative[-1:], 1e-12)
    index = np.argmax(cumulative >= 0.3, axis=0)
    return np.log(np.maximum(freqs[index], freqs[1]))


def timbre_features(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Feature vector float64 [D] of mono `audio` [N] describing the instrument (see the module docstring).
    Silent audio gives a finite vector (of a silent clip)."""
    import librosa

    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if len(audio) < N_FFT:
        audio = np.pad(audio, (0, N_FFT - len(audio)))
    spectrum = np.abs(librosa.stft(audio, n_fft=N_FFT, hop_length=HOP)) ** 2  # [bins, frames]
    freqs = librosa.fft_frequencies(sr=sample_rate, n_fft=N_FFT)
    frame_db = 10 * np.log10(spectrum.sum(axis=0) + 1e-10)
    sounding = frame_db > frame_db.max() - (-SOUNDING_DB)
    if sounding.sum() < 3:
        sounding = np.ones_like(sounding)
    mel = librosa.feature.melspectrogram(S=spectrum, sr=sample_rate, n_mels=64)
    mfcc = librosa.feature.mfcc(S=librosa.power_to_db(mel + 1e-10), n_mfcc=N_MFCC)[1:]
    delta = librosa.feature.delta(mfcc, width=5)
    magnitude = np.sqrt(spectrum)
    flatness = librosa.feature.spectral_flatness(S=magnitude)[0]
    contrast = librosa.feature.spectral_contrast(S=magnitude, sr=sample_rate, n_bands=5, fmin=100.0)
    fundamental = _log_fundamental_region(spectrum, freqs)
    centroid = np.log(np.maximum(librosa.feature.spectral_centroid(S=magnitude, sr=sample_rate)[0], 1.0)) - fundamental
    rolloff = np.log(np.maximum(librosa.feature.spectral_rolloff(S=magnitude, sr=sample_rate)[0], 1.0)) - fundamental
    level = frame_db - frame_db.max()
    slope = np.diff(level)  # dB per frame: how notes evolve once started
    parts: List[np.ndarray] = []
    for rows in (mfcc, delta, contrast, flatness[None], centroid[None], rolloff[None]):
        rows = rows[:, sounding]
        parts += [rows.mean(axis=1), rows.std(axis=1)]
    falling = slope[sounding[1:]]
    parts.append(np.array([np.mean(falling), np.percentile(falling, 25), np.mean(sounding),
                           np.mean(np.log10(np.maximum(flatness[sounding], 1e-8)))]))
    return np.nan_to_num(np.concatenate(parts).astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)


@dataclass
class InstrumentClassifier:
    """Standardised features → logistic regression over instrument labels (parent folder names)."""

    labels: List[str]
    pipeline: Any  # a fitted scikit-learn Pipeline (scaler + logistic regression)
    sample_rate: int

    @classmethod
    def fit(cls, features: np.ndarray, labels: Sequence[str], sample_rate: int) -> "InstrumentClassifier":
        """features [clips, D], labels [clips] (at least two distinct)."""
        return cls(sorted(set(labels)), _fit_pipeline(features, labels), sample_rate)

    def predict_features(self, features: np.ndarray) -> List[str]:
        return [str(p) for p in self.pipeline.predict(np.atleast_2d(features))]

    def predict(self, audio: np.ndarray) -> str:
        """The instrument label of mono `audio` [N] at the classifier's sample rate."""
        return self.predict_features(timbre_features(audio, self.sample_rate))[0]


def _fit_pipeline(features: np.ndarray, labels: Sequence[str]) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))
    pipeline.fit(np.asarray(features), list(labels))
    return pipeline


def leave_one_out_predictions(features: np.ndarray, labels: Sequence[str]) -> List[str]:
    """For each clip, the label predicted by a classifier fitted on all the other clips."""
    features = np.asarray(features)
    out = []
    for i in range(len(labels)):
        keep = np.arange(len(labels)) != i
        kept = [labels[int(j)] for j in np.flatnonzero(keep)]
        if len(set(kept)) < 2:
            out.append(kept[0] if kept else labels[i])
            continue
        out.append(str(_fit_pipeline(features[keep], kept).predict(features[i:i + 1])[0]))
    return out


class Transcriber:
    """basic-pitch transcription (`after.data.transcribe`) with a per-run cache keyed by file path, and a
    velocity floor applied to every transcription (basic-pitch reports faint harmonics and room noise as
    quiet extra notes; the floor is applied the same way to every side that is a transcription)."""

    def __init__(self, min_velocity: int = 30) -> None:
        self.min_velocity = min_velocity
        self._cache: Dict[str, List[Note]] = {}

    def notes(self, audio: np.ndarray, sample_rate: int, key: Optional[str | Path] = None) -> List[Note]:
        """Notes of mono `audio` [N]; cached under `key` (a file path) when given."""
        from after.data.transcribe import transcribe

        if key is not None and str(key) in self._cache:
            return self._cache[str(key)]
        notes = [n for n in transcribe(audio, sample_rate) if n.velocity >= self.min_velocity]
        if key is not None:
            self._cache[str(key)] = notes
        return notes
