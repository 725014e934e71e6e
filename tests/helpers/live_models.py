"""Exports for the live-robustness tests: tiny random-weight runs on a block-DCT codec at ratio 2048 (a 2048
host buffer carries one latent frame, as with the real codec) that can be told to raise inside `encode` or
`decode`, i.e. part-way through an nn~ call."""

from pathlib import Path

import torch

from after.export.exporter import export_run
from after.nn_tilde.module import save_nn_model
from tests.helpers.export_models import StreamingDCTCodec, make_latent_db, make_run

RATIO = 2048
LATENT_SIZE = 16
SAMPLE_RATE = 16000
FAIL_NONE, FAIL_ENCODE, FAIL_DECODE = 0, 1, 2


class FailingCodec(StreamingDCTCodec):
    """The streaming block-DCT codec, plus `fail_in(where)`: the next calls of `encode` (1) or `decode` (2)
    raise until `fail_in(0)`."""

    failing = FAIL_NONE  # read by the method checks that run inside the base class's constructor

    def __init__(self, ratio: int, latent_size: int, sample_rate: int) -> None:
        super().__init__(ratio, latent_size, sample_rate)
        self.failing = FAIL_NONE

    @torch.jit.export
    def fail_in(self, where: int) -> int:
        self.failing = where
        return 0

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        if self.failing == 1:
            raise RuntimeError("injected failure in encode")
        frames = x.reshape(x.shape[0], -1, self.ratio)
        return torch.einsum("btr,cr->bct", frames, self.basis)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        if self.failing == 2:
            raise RuntimeError("injected failure in decode")
        frames = torch.einsum("bct,cr->btr", z, self.basis)
        return frames.reshape(z.shape[0], 1, -1)


def make_live_export(folder: Path, kind: str, n_poly: int = 2):
    """Codec + run + dataset in `folder`, exported with `export_run` (an `ExportResult`)."""
    folder.mkdir(parents=True, exist_ok=True)
    codec_path = folder / "export_stream.ts"
    save_nn_model(FailingCodec(RATIO, LATENT_SIZE, SAMPLE_RATE), codec_path,
                  {"kind": "codec", "streaming": True, "sample_rate": SAMPLE_RATE, "ratio": RATIO,
                   "latent_size": LATENT_SIZE, "latency_samples": 0, "causal": True})
    run = make_run(folder / "run", codec_path, RATIO, LATENT_SIZE, SAMPLE_RATE, midi=kind == "midi")
    db = make_latent_db(folder / "db", LATENT_SIZE, RATIO, ("brass", "keys"), per_label=6,
                        sample_rate=SAMPLE_RATE)
    return export_run(run, codec_path, kind, [db], n_poly=n_poly, n_presets=2)
