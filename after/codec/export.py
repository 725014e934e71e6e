"""nn~ exports of a codec: `export.ts` (offline, aligned) and `export_stream.ts` (streaming, causal state).

Both carry the methods of `after.nn_tilde.contract.codec_methods` (`encode`, `decode`, `forward`) and metadata
(`kind: "codec"`, sample rate, ratio, latent size, latency, causal, config, torch version).
The streaming file keeps per-batch-item state in every layer, resets it when the batch size changes, and
exports `reset_state()`. Its output equals the offline file's output delayed by `latency_by_method[method]`.
"""

from pathlib import Path
from typing import Any, Dict, Tuple, cast

import torch
from torch import nn

from after.codec.config import CodecConfig, CodecModelConfig
from after.codec.harmonic import STRUCTURE_CHANNELS, HarmonicCodec
from after.codec.harmonic_streaming import StreamingHarmonicCodec
from after.codec.layers import remove_weight_norm
from after.codec.model import Codec, build_codec
from after.codec.streaming import StreamingCodec
from after.config import config_to_dict
from after.nn_tilde.compat import require_nn_tilde_compat
from after.nn_tilde.contract import codec_methods
from after.nn_tilde.module import AUDIO_BOUND, SIGNAL_BOUND, NNModule, finite, save_nn_model

OFFLINE_FILE = "export.ts"
STREAM_FILE = "export_stream.ts"


class CodecExport(NNModule):
    """nn~ wrapper of a codec network with `encode` / `decode` methods (the aligned offline `Codec`, or a
    `StreamingCodec`).

    encode: [B, 1, N] → [B, latent_size, N / ratio]; decode: the inverse; forward: [B, 1, N] → [B, 1, N].
    """

    def __init__(self, codec: nn.Module, ratio: int, latent_size: int) -> None:
        super().__init__()
        self.codec = codec
        # NaN/inf/denormals from upstream never reach the streaming state: inputs are bounded like every export's.
        self.audio_bound = AUDIO_BOUND
        self.signal_bound = SIGNAL_BOUND
        for spec in codec_methods(ratio, latent_size):
            self.register_method(spec.name, spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio,
                                 spec.input_labels, spec.output_labels)

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.codec.encode(finite(x, self.audio_bound))

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.codec.decode(finite(z, self.signal_bound))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


class StreamingCodecExport(CodecExport):
    """`CodecExport` of a `StreamingCodec`, with `reset_state()`; saved with fresh state."""

    def __init__(self, codec: nn.Module, ratio: int, latent_size: int) -> None:
        super().__init__(codec, ratio, latent_size)
        self.codec.reset_state()

    @torch.jit.export
    def reset_state(self) -> None:
        self.codec.reset_state()


def export_modules(trained: nn.Module, cfg: CodecModelConfig) -> Tuple[CodecExport, StreamingCodecExport]:
    """The offline and the streaming nn~ modules of a trained codec (its weights copied, weight norm folded)."""
    codec = build_codec(cfg).eval()  # a fresh copy (deepcopy breaks weight-norm parametrisations)
    codec.load_state_dict(trained.state_dict())
    if isinstance(codec, HarmonicCodec):  # cfg.family == "harmonic"
        stream: nn.Module = StreamingHarmonicCodec(codec)
    else:
        remove_weight_norm(codec)
        stream = StreamingCodec(cast(Codec, codec))  # `build_codec` makes a `Codec` for every other family
    return (CodecExport(codec, cfg.ratio, cfg.latent_size),
            StreamingCodecExport(stream, cfg.ratio, cfg.latent_size))


def latency_by_method(codec: Codec, streaming: bool) -> Dict[str, int]:
    """Samples by which each method's output lags the offline export (0 everywhere for the offline file)."""
    if not streaming:
        return {"encode": 0, "decode": 0, "forward": 0}
    return {"encode": codec.encode_shift_frames * codec.ratio, "decode": codec.decode_latency,
            "forward": codec.latency}


def export_metadata(codec: Codec, cfg: CodecConfig, streaming: bool) -> Dict[str, Any]:
    latency = latency_by_method(codec, streaming)
    return {
        "kind": "codec",
        "streaming": streaming,
        "sample_rate": cfg.model.sample_rate,
        "ratio": codec.ratio,
        "latent_size": codec.latent_size,
        "latency_samples": latency["forward"],
        "latency_by_method": latency,
        "causal": cfg.model.causal,
        "family": cfg.model.family,
        # Leading latent channels that carry the melody (pitch, loudness, periodicity) rather than timbre.
        "structure_channels": STRUCTURE_CHANNELS if cfg.model.family == "harmonic" else 0,
        "config": config_to_dict(cfg),
        "torch_version": torch.__version__,
    }


def export_codec(codec: Codec, cfg: CodecConfig, out_dir: str | Path) -> Dict[str, Path]:
    """Write `export.ts` and `export_stream.ts` into `out_dir` (atomically); return their paths."""
    out_dir = Path(out_dir)
    offline, stream = export_modules(codec, cfg.model)
    # Official nn~ builds run libtorch 2.5.1: a file they could not load never reaches its final name.
    save_nn_model(offline, out_dir / OFFLINE_FILE, export_metadata(codec, cfg, streaming=False),
                  verify=require_nn_tilde_compat)
    save_nn_model(stream, out_dir / STREAM_FILE, export_metadata(codec, cfg, streaming=True),
                  verify=require_nn_tilde_compat)
    return {"offline": out_dir / OFFLINE_FILE, "stream": out_dir / STREAM_FILE}
