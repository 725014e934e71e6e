"""Timbre-branch augmentation (UPSTREAM.md §2.3 semantics, our own DSP): pitch shift by resampling, time
stretch by a vectorised phase vocoder, both piecewise, and faded time masks. The augmented audio is encoded by
the codec and stored as `augment_<mode>_<i>` latents; training draws the timbre input from them."""

from __future__ import annotations

import numpy as np

AUGMENTATION_MODES = ("none", "shift", "stretch", "shift_stretch")
MASK_FADE_SECONDS = 0.01
STRETCH_FFT = 2048
STRETCH_HOP = 512


def time_stretch(audio: np.ndarray, rate: float, n_fft: int = STRETCH_FFT, hop: int = STRETCH_HOP) -> np.ndarray:
    """Play `audio` float32 [N] `rate` times faster without changing its pitch → float32 [round(N / rate)].

    Phase vocoder (Flanagan & Golden 1966; Laroche & Dolson 1999 phase propagation without locking): STFT
    with a periodic Hann window, magnitudes interpolated at fractional frame positions k·rate, phases
    advanced by each bin's measured instantaneous frequency, then windowed overlap-add normalised by the
    summed squared window. All frames at once (no Python loop over frames)."""
    n = audio.shape[-1]
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32)
    padded = np.pad(audio.astype(np.float32), (n_fft // 2, n_fft // 2 + hop))
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop] * window  # [T, n_fft]
    spec = np.fft.rfft(frames, axis=-1)  # [T, F]
    positions = np.arange(0.0, spec.shape[0] - 1, rate)
    index = positions.astype(np.int64)
    alpha = (positions - index)[:, None]
    magnitude = (1.0 - alpha) * np.abs(spec[index]) + alpha * np.abs(spec[index + 1])  # [K, F]
    expected = 2.0 * np.pi * hop * np.arange(spec.shape[1]) / n_fft  # phase advance per hop of each bin
    deviation = np.angle(spec[index + 1]) - np.angle(spec[index]) - expected
    deviation -= 2.0 * np.pi * np.round(deviation / (2.0 * np.pi))
    advance = expected + deviation  # [K, F]
    phase = np.angle(spec[0]) + np.concatenate([np.zeros_like(advance[:1]), np.cumsum(advance[:-1], axis=0)])
    out_frames = np.fft.irfft(magnitude * np.exp(1j * phase), n=n_fft, axis=-1).astype(np.float32) * window
    count = out_frames.shape[0]
    length = n_fft + hop * (count - 1)
    out = np.zeros(length + n_fft, dtype=np.float32)
    norm = np.zeros(length + n_fft, dtype=np.float32)
    for part in range(n_fft // hop):  # frames overlap n_fft / hop times: add each hop-sized slice at once
        lo = part * hop
        out[lo:lo + hop * count] += out_frames[:, lo:lo + hop].reshape(-1)
        norm[lo:lo + hop * count] += np.tile(window[lo:lo + hop] ** 2, count)
    out = out / np.maximum(norm, 1e-3)
    start = n_fft // 2
    return out[start:start + int(round(n / rate))]


def shift_and_stretch(audio: np.ndarray, sample_rate: int, semitones: float, stretch: float) -> np.ndarray:
    """Raise the pitch by `semitones` and play `stretch` times faster (output length ≈ N / stretch).

    `audio` float32 [N]. Resampling by 2^(semitones/12) moves pitch and speed together; one phase-vocoder
    pass then sets the final speed."""
    import soxr

    pitch_ratio = 2.0 ** (semitones / 12.0)
    out = audio
    if semitones:
        out = soxr.resample(audio, sample_rate * pitch_ratio, sample_rate, quality="HQ")
    rate = stretch / pitch_ratio
    if abs(rate - 1.0) > 1e-4 and out.shape[-1] > STRETCH_FFT:
        out = time_stretch(out, rate)
    return out.astype(np.float32)


def time_mask(audio: np.ndarray, sample_rate: int, rng: np.random.Generator, min_fraction: float,
              max_fraction: float) -> np.ndarray:
    """Silence a random span of `min_fraction`–`max_fraction` of the length, with 10 ms fades."""
    n = audio.shape[-1]
    width = int(n * rng.uniform(min_fraction, max_fraction))
    if width <= 0:
        return audio
    start = int(rng.integers(0, n - width + 1))
    fade = min(int(MASK_FADE_SECONDS * sample_rate), width // 2)
    gain = np.ones(n, dtype=np.float32)
    gain[start:start + width] = 0.0
    if fade > 0:
        ramp = np.linspace(1.0, 0.0, fade, dtype=np.float32)
        gain[start:start + fade] = ramp
        gain[start + width - fade:start + width] = ramp[::-1]
    return audio * gain


def augment(audio: np.ndarray, sample_rate: int, mode: str, rng: np.random.Generator) -> np.ndarray:
    """One augmented copy of a chunk `audio` float32 [N] → float32 [N'] (N' varies with stretch).

    * `shift_stretch`: 4 segments, each with a stretch in [0.76, 1.245] (the part above 1 doubled, so up to
      1.49) and an integer shift of −4…+3 semitones; then two masks of 7–15 % of the length.
    * `shift`: one integer shift of −6…+5 semitones, length kept.
    * `stretch`: one stretch in [0.7, 1.6], then four masks of 7.5–10 %.
    """
    if mode == "shift_stretch":
        pieces = []
        for segment in np.array_split(audio, 4):
            stretch = rng.uniform(0.76, 1.245)
            if stretch > 1.0:
                stretch = 1.0 + 2.0 * (stretch - 1.0)
            pieces.append(shift_and_stretch(segment, sample_rate, int(rng.integers(-4, 4)), stretch))
        out = np.concatenate(pieces)
        for _ in range(2):
            out = time_mask(out, sample_rate, rng, 0.07, 0.15)
        return out
    if mode == "shift":
        return shift_and_stretch(audio, sample_rate, int(rng.integers(-6, 6)), 1.0)
    if mode == "stretch":
        out = shift_and_stretch(audio, sample_rate, 0, rng.uniform(0.7, 1.6))
        for _ in range(4):
            out = time_mask(out, sample_rate, rng, 0.075, 0.10)
        return out
    raise ValueError(f"unknown augmentation mode {mode!r}; valid: {', '.join(AUGMENTATION_MODES)}")
