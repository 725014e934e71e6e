"""Encoding chunks into latents with any nn~ codec `.ts` (ratio and latent size probed: `after.nn_tilde.codec_ts`)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from after.errors import InputError


def torch_device(gpu: int) -> str:
    """`--gpu` semantics: −1 = CPU, N = CUDA device N (checked)."""
    import torch

    if gpu is None or gpu < 0:
        return "cpu"
    if not torch.cuda.is_available() or gpu >= torch.cuda.device_count():
        raise InputError(f"--gpu {gpu}: no such CUDA device (found {torch.cuda.device_count()}); use --gpu -1 for CPU")
    return f"cuda:{gpu}"


class LatentEncoder:
    """A codec ready to encode batches of mono waveforms on one device."""

    def __init__(self, codec_path: str | Path, gpu: int = -1, batch_size: int = 8) -> None:
        from after.nn_tilde.codec_ts import load_codec

        self.device = torch_device(gpu)
        self.codec = load_codec(codec_path)
        self.codec.module.to(self.device)
        self.batch_size = max(1, batch_size)
        self.ratio = self.codec.ratio
        self.latent_size = self.codec.latent_size
        self.sample_rate = self.codec.sample_rate
        self.path = Path(codec_path)

    def describe(self) -> dict[str, object]:
        """What the database records about the codec."""
        return {"codec_path": str(self.path.resolve()), "ratio": self.ratio, "latent_size": self.latent_size,
                "codec_sample_rate": self.sample_rate}

    def encode(self, waveforms: list[np.ndarray]) -> list[np.ndarray]:
        """Encode float32 waveforms [N_i] → latents float32 [latent_size, N_i // ratio] (each waveform is cut
        to a whole number of frames, at least one). Equal lengths are batched `batch_size` at a time; a
        streaming codec's state is reset before each batch, since chunks are independent."""
        import torch

        out: list[np.ndarray | None] = [None] * len(waveforms)
        by_length: dict[int, list[int]] = defaultdict(list)
        for i, wave in enumerate(waveforms):
            frames = max(1, wave.shape[-1] // self.ratio)
            by_length[frames * self.ratio].append(i)
        for length, indices in by_length.items():
            for start in range(0, len(indices), self.batch_size):
                batch_ids = indices[start:start + self.batch_size]
                batch = np.zeros((len(batch_ids), 1, length), dtype=np.float32)
                for row, i in enumerate(batch_ids):
                    wave = waveforms[i][:length]
                    batch[row, 0, :wave.shape[-1]] = wave
                if hasattr(self.codec.module, "reset_state"):
                    self.codec.module.reset_state()
                z = self.codec.encode(torch.from_numpy(batch).to(self.device)).float().cpu().numpy()
                for row, i in enumerate(batch_ids):
                    out[i] = np.ascontiguousarray(z[row])
        return out  # type: ignore[return-value]
