"""Trying a trained model from Python: what the notebooks in `notebooks/` call.

* `transfer_file`: structure from one file, timbre from another, with a run folder or an export (the
  `after transfer` code path), returning the audio for inline playback.
* `MapExplorer`: the timbre map of an export (`after.audio.*.ts` / `after.midi.*.ts`): its picture, the
  positions of its presets and of any audio file, and rendering a structure with the timbre found at any map
  point (`map2latent`, then `forward_manual`, driven buffer by buffer as nn~ drives them).
* `spectrogram_db`, `plot_spectrograms`, `plot_map`: matplotlib figures (matplotlib is imported only here,
  when a figure is asked for: `pip install after[notebooks]`).
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import torch

from after.data.midi import read_midi
from after.diffusion.transfer import (
    MIDI_TAIL_S,
    ExportTransfer,
    TransferSettings,
    is_midi_file,
    midi_notes_end,
    transfer,
)
from after.errors import InputError, ModelContractError
from after.export.timbre_map import MAP_EXTENT
from after.io import load_audio
from after.nn_tilde.host import emulate_host


@dataclass(frozen=True)
class Rendered:
    """Mono float32 audio [N] and its sample rate (what `IPython.display.Audio(r.audio, rate=r.sample_rate)`
    plays)."""

    audio: np.ndarray
    sample_rate: int


def transfer_file(model: str | Path, structure: str | Path, timbre: str | Path,
                  settings: TransferSettings = TransferSettings(progress=False),
                  out: Optional[str | Path] = None) -> Rendered:
    """`after transfer` from Python: `model` is a run folder or an export; the WAV goes to `out` (a temporary
    file when None) and is read back."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(out) if out is not None else Path(tmp) / "transfer.wav"
        result = transfer(Path(model), Path(structure), Path(timbre), target, settings)
        return Rendered(load_audio(target, result.sample_rate)[0], result.sample_rate)


class MapExplorer:
    """An export's 2-D timbre map. Map coordinates are the export's (`latent2map` / `map2latent`), the
    picture covers [-MAP_EXTENT, MAP_EXTENT]² of them."""

    def __init__(self, export_path: str | Path) -> None:
        self.model = ExportTransfer(Path(export_path))
        methods = self.model.info.methods
        missing = [m for m in ("map2latent", "latent2map", "forward_manual", "timbre") if m not in methods]
        if missing:
            raise ModelContractError(f"{export_path}: the export has no {', '.join(missing)} method; re-export it "
                                     f"with `after export` to explore its timbre map")
        self.sample_rate = self.model.sample_rate
        self.zt = int(self.model.info.metadata["zt"])
        self.extent = MAP_EXTENT
        self.presets = list(self.model.info.metadata.get("presets", []))

    @property
    def map_image(self) -> Optional[bytes]:
        """The map picture (PNG bytes) stored inside the export."""
        return self.model.info.map_image

    def _run(self, method: str, signals: np.ndarray) -> np.ndarray:
        """Drive `method` on host signals [C, N] (N a multiple of its ratios): output [C', N]."""
        spec = self.model.info.methods[method]
        x = torch.from_numpy(np.ascontiguousarray(signals, dtype=np.float32))[None]
        return emulate_host(self.model.model, method, x, spec.in_ratio, spec.out_ratio)[0].numpy()

    def to_timbre(self, points: np.ndarray) -> np.ndarray:
        """Map positions [K, 2] → timbre vectors [K, zt] (`map2latent`)."""
        points = np.asarray(points, dtype=np.float32).reshape(-1, 2)
        return self._run("map2latent", points.T).T.copy()

    def to_map(self, vectors: np.ndarray) -> np.ndarray:
        """Timbre vectors [K, zt] → map positions [K, 2] (`latent2map`)."""
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.zt)
        return self._run("latent2map", vectors.T).T.copy()

    def timbre_of(self, path: str | Path) -> np.ndarray:
        """Timbre vector [zt] of an audio file: the export's `timbre` estimate once the whole file is heard."""
        audio = load_audio(path, self.sample_rate)[0]
        self.model.model.reset_state()
        padded = np.pad(audio, (0, (-len(audio)) % self.model.buffer))
        with torch.no_grad():
            outputs = [self._run("timbre", padded[None, s:s + self.model.buffer])
                       for s in range(0, len(padded), self.model.buffer)]
        return outputs[-1][:, -1].copy()

    def structure_signals(self, path: Path) -> np.ndarray:
        """The structure rows of the host input [C, N]: the audio for audio exports, the voices' (pitch,
        velocity) pairs for MIDI exports (from a MIDI file, or audio transcribed with basic-pitch)."""
        if self.model.kind == "audio":
            if is_midi_file(path):
                raise InputError(f"{path}: {self.model.path.name} is an audio→audio model; give audio")
            return load_audio(path, self.sample_rate)[0][None]
        if is_midi_file(path):
            notes = read_midi(path)
        else:
            from after.data.transcribe import transcribe

            notes = transcribe(load_audio(path, self.sample_rate)[0], self.sample_rate)
        return self.model.voices(notes, int((midi_notes_end(notes, path) + MIDI_TAIL_S) * self.sample_rate))

    def render(self, structure: str | Path, timbre: np.ndarray,
               settings: TransferSettings = TransferSettings(progress=False)) -> Rendered:
        """The structure of `structure` (audio, or MIDI for MIDI exports) played with timbre vector [zt]
        (`forward_manual`, buffer by buffer)."""
        self.model.configure(settings)
        host = self.structure_signals(Path(structure))
        n = host.shape[-1]
        timbre_rows = np.repeat(np.asarray(timbre, dtype=np.float32).reshape(self.zt, 1), n, axis=1)
        signals = np.concatenate([host, timbre_rows])
        signals = np.pad(signals, ((0, 0), (0, (-n) % self.model.buffer)))
        with torch.no_grad():
            out = [self._run("forward_manual", signals[:, s:s + self.model.buffer])[0]
                   for s in range(0, signals.shape[-1], self.model.buffer)]
        return Rendered(np.concatenate(out)[:n], self.sample_rate)


def spectrogram_db(audio: np.ndarray, n_fft: int = 1024, hop: int = 256) -> np.ndarray:
    """Magnitude spectrogram in dB [n_fft // 2 + 1, frames] (Hann window, floor −100 dB)."""
    window = np.hanning(n_fft + 2)[1:-1]
    padded = np.pad(np.asarray(audio, dtype=np.float64), (n_fft // 2, n_fft // 2))
    starts = np.arange(0, max(len(padded) - n_fft, 0) + 1, hop)
    frames = padded[starts[None, :] + np.arange(n_fft)[:, None]] * window[:, None]
    return np.maximum(20 * np.log10(np.abs(np.fft.rfft(frames, axis=0)) + 1e-10), -100.0)


def plot_spectrograms(items: dict[str, Rendered], n_fft: int = 1024, hop: int = 256):
    """One spectrogram per named rendering, stacked; returns the matplotlib figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(items), 1, figsize=(9, 2.2 * len(items)), squeeze=False)
    for ax, (name, item) in zip(axes[:, 0], items.items()):
        spec = spectrogram_db(item.audio, n_fft, hop)
        seconds = len(item.audio) / item.sample_rate
        ax.imshow(spec, origin="lower", aspect="auto", cmap="magma", vmin=spec.max() - 80,
                  extent=[0, seconds, 0, item.sample_rate / 2000])
        ax.set_title(name)
        ax.set_ylabel("kHz")
    axes[-1, 0].set_xlabel("seconds")
    fig.tight_layout()
    return fig


def plot_map(explorer: MapExplorer, points: Optional[np.ndarray] = None, names: Sequence[str] = ()):
    """The export's map picture with its presets and `points` [K, 2] (named by `names`); returns the figure."""
    import matplotlib.pyplot as plt
    from PIL import Image

    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    e = explorer.extent
    if explorer.map_image is not None:
        ax.imshow(np.asarray(Image.open(io.BytesIO(explorer.map_image)).convert("RGB")), extent=(-e, e, -e, e))
    for preset in explorer.presets:
        x, y = preset["map"]
        ax.plot(x, y, "w^", markeredgecolor="k")
        ax.annotate(preset["name"], (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    if points is not None:
        points = np.asarray(points).reshape(-1, 2)
        ax.plot(points[:, 0], points[:, 1], "o-", color="black", markerfacecolor="yellow")
        for (x, y), name in zip(points, names):
            ax.annotate(name, (x, y), fontsize=8, xytext=(4, -10), textcoords="offset points")
    ax.set_xlim(-e, e)
    ax.set_ylim(-e, e)
    ax.set_title("timbre map")
    return fig
