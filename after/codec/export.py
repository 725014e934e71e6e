"""nn~ exports of a codec: `export.ts` (offline, aligned) and `export_stream.ts` (streaming, causal state).

Both carry the methods of `after.contract.codec_methods` (`encode`, `decode`, `forward`) and metadata
(`kind: "codec"`, sample rate, ratio, latent size, latency, causal, config, torch version).
The streaming file keeps per-batch-item state in every layer, resets it when the batch size changes, and
exports `reset_state()`. Its output equals the offline file's output delayed by `latency_by_method[method]`.
"""

from pathlib import Path
from typing import Any, Dict

import torch

from after.codec.config import CodecConfig, CodecModelConfig
from after.codec.layers import remove_weight_norm, set_streaming
from after.codec.model import Codec
from after.config import config_to_dict
from after.contract import codec_methods
from after.nn_tilde import NNModule, save_nn_model

OFFLINE_FILE = "export.ts"
STREAM_FILE = "export_stream.ts"


class CodecExport(NNModule):
    """nn~ wrapper of a trained codec; `streaming` picks the stateful causal path or the aligned offline one.

    encode: [B, 1, N] → [B, latent_size, N / ratio]; decode: the inverse; forward: [B, 1, N] → [B, 1, N].
    """

    def __init__(self, trained: Codec, cfg: CodecModelConfig, streaming: bool) -> None:
        super().__init__()
        codec = Codec(cfg).eval()  # a fresh copy (deepcopy breaks weight-norm parametrisations)
        codec.load_state_dict(trained.state_dict())
        remove_weight_norm(codec)
        set_streaming(codec, streaming)
        self.codec = codec
        self.streaming = streaming
        for spec in codec_methods(codec.ratio, codec.latent_size):
            self.register_method(spec.name, spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio,
                                 spec.input_labels, spec.output_labels)

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        if self.streaming:
            return self.codec.encode_core(x)
        return self.codec.encode(x)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        if self.streaming:
            return self.codec.decode_core(z)
        return self.codec.decode(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))

    @torch.jit.export
    def reset_state(self) -> None:
        self.codec.reset_state()


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
        "config": config_to_dict(cfg),
        "torch_version": torch.__version__,
    }


def export_codec(codec: Codec, cfg: CodecConfig, out_dir: str | Path) -> Dict[str, Path]:
    """Write `export.ts` and `export_stream.ts` into `out_dir` (atomically); return their paths."""
    out_dir = Path(out_dir)
    paths = {}
    for streaming, name in ((False, OFFLINE_FILE), (True, STREAM_FILE)):
        module = CodecExport(codec, cfg.model, streaming)
        save_nn_model(module, out_dir / name, export_metadata(codec, cfg, streaming))
        paths["stream" if streaming else "offline"] = out_dir / name
    return paths
