"""What `after eval` writes: spectrogram PNGs (people look), the markdown table (people read) and eval.json
(scripts read). Images are drawn with Pillow, like the timbre map, so no plotting library is needed."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from after.data.midi import Note

PANEL_HEIGHT = 128
TITLE_HEIGHT = 14
MAX_WIDTH = 900
N_MELS = 96
HOP = 256
DYNAMIC_RANGE_DB = 80.0
# Colour stops of a dark-to-bright map (black → purple → orange → pale yellow), interpolated linearly.
_STOPS = np.array([[0, 0, 4], [60, 15, 110], [150, 40, 120], [235, 95, 60], [252, 200, 90], [252, 253, 191]],
                  dtype=np.float64)


def _colourise(values: np.ndarray) -> np.ndarray:
    """values in [0, 1] [H, W] → uint8 RGB [H, W, 3]."""
    position = np.clip(values, 0.0, 1.0) * (len(_STOPS) - 1)
    low = np.floor(position).astype(int).clip(0, len(_STOPS) - 2)
    frac = (position - low)[..., None]
    return (_STOPS[low] * (1 - frac) + _STOPS[low + 1] * frac).astype(np.uint8)


def log_mel_db(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Log-mel power spectrogram in dB re full scale, float64 [N_MELS, frames] (hop 256)."""
    import librosa

    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if len(audio) < 1024:
        audio = np.pad(audio, (0, 1024 - len(audio)))
    mel = librosa.feature.melspectrogram(y=audio, sr=sample_rate, n_fft=1024, hop_length=HOP, n_mels=N_MELS,
                                         fmax=sample_rate / 2)
    return 10.0 * np.log10(np.maximum(mel, 1e-10))


def piano_roll_image(notes: Sequence[Note], seconds: float, sample_rate: int) -> np.ndarray:
    """Notes as an image in [0, 1] [pitches, frames] on the spectrogram's time grid (velocity = brightness)."""
    frames = max(1, int(math.ceil(seconds * sample_rate / HOP)))
    if not notes:
        return np.zeros((12, frames))
    low, high = min(n.pitch for n in notes) - 2, max(n.pitch for n in notes) + 2
    roll = np.zeros((high - low + 1, frames))
    for note in notes:
        a = int(note.start * sample_rate / HOP)
        b = max(a + 1, int(note.end * sample_rate / HOP))
        roll[note.pitch - low, a:b] = np.maximum(roll[note.pitch - low, a:b], 0.3 + 0.7 * note.velocity / 127)
    return roll


def spectrogram_png(panels: Sequence[Tuple[str, np.ndarray, str]], sample_rate: int) -> bytes:
    """Stack panels vertically on one time axis and return PNG bytes.

    panels: (title, data, kind) with kind "audio" (mono samples [N]) or "roll" (`piano_roll_image` output).
    Audio panels share one dB scale (the loudest panel's peak down to -80 dB), so a quiet output looks dark.
    """
    from PIL import Image, ImageDraw

    images: List[Tuple[str, np.ndarray]] = []
    peak = -np.inf
    mels = {}
    for index, (_, data, kind) in enumerate(panels):
        if kind == "audio":
            mels[index] = log_mel_db(data, sample_rate)
            peak = max(peak, float(mels[index].max()))
    for index, (title, data, kind) in enumerate(panels):
        if kind == "audio":
            values = (mels[index] - (peak - DYNAMIC_RANGE_DB)) / DYNAMIC_RANGE_DB
        else:
            values = np.asarray(data, dtype=np.float64)
        images.append((title, values[::-1]))  # low frequencies / pitches at the bottom
    frames = max(v.shape[1] for _, v in images)
    width = min(MAX_WIDTH, max(2 * frames, 600))
    canvas = Image.new("RGB", (width, len(images) * (PANEL_HEIGHT + TITLE_HEIGHT)), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for row, (title, values) in enumerate(images):
        padded = np.zeros((values.shape[0], frames))
        padded[:, :values.shape[1]] = values
        panel = Image.fromarray(_colourise(padded), "RGB").resize((width, PANEL_HEIGHT), Image.Resampling.NEAREST)
        top = row * (PANEL_HEIGHT + TITLE_HEIGHT)
        draw.text((4, top + 1), title[:140], fill=(20, 20, 20))
        canvas.paste(panel, (0, top + TITLE_HEIGHT))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


# ============================================================== tables
def _format(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"
    return str(value)


def markdown_table(rows: Sequence[Dict[str, Any]], columns: Sequence[Tuple[str, str]]) -> str:
    """A GitHub markdown table; columns: (key in each row, header)."""
    lines = ["| " + " | ".join(h for _, h in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_format(row.get(k)) for k, _ in columns) + " |")
    return "\n".join(lines)


SUMMARY_NOTES = {
    "note_f1": "basic-pitch note F1 (onsets ±50 ms) of the output against the reference notes",
    "note_f1_input": "the same judge on the real inputs against their MIDI: the judge's ceiling",
    "note_f1_monophonic": "note F1 over monophonic items only",
    "note_f1_polyphonic": "note F1 over polyphonic (chord) items only",
    "target_accuracy": "share of outputs the instrument judge classifies as the timbre target's instrument",
    "source_accuracy": "share of outputs classified as the structure source's instrument (timbre did not move)",
    "instrument_accuracy": "share of reconstructions classified as their input's instrument",
    "judge_accuracy": "the instrument judge on the real input clips: its ceiling",
    "mrstft": "multi-resolution STFT distance (0 = identical)",
    "spectral_convergence": "spectral convergence at 2048 points (0 = identical, 1 = silence)",
    "si_sdr": "scale-invariant SDR in dB (higher is better)",
    "loudness_error_db": "mean |frame RMS level difference| in dB",
    "output_rms": "output RMS (full scale 1)",
}


def summary_markdown(summary: Dict[str, float]) -> str:
    rows = [{"metric": k, "value": v, "meaning": SUMMARY_NOTES.get(k, "")} for k, v in summary.items()]
    return markdown_table(rows, [("metric", "metric"), ("value", "value"), ("meaning", "meaning")])


def eval_markdown(title: str, settings: Dict[str, Any], summary: Dict[str, float], items: Sequence[Dict[str, Any]],
                  columns: Sequence[Tuple[str, str]], judges: Optional[Dict[str, Any]] = None) -> str:
    """The whole eval.md: title, settings line, summary table, judges, per-item table."""
    parts = [f"# {title}", "", "Settings: " + ", ".join(f"`{k}={v}`" for k, v in settings.items()), "",
             "## Summary", "", summary_markdown(summary), ""]
    if judges:
        parts += ["## Judges", ""] + [f"- **{k}**: {v}" for k, v in judges.items()] + [""]
    parts += ["## Items", "", markdown_table(items, columns), ""]
    return "\n".join(parts)


def write_png(path: Path, png: bytes) -> None:
    from after.io import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_bytes(png)
