"""Any TorchScript codec with nn~ `encode`/`decode` methods (ours, or a RAVE export) as a latent space.

The ratio (samples per latent frame) and latent size are probed by running the model, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from after.errors import ModelContractError
from after.nn_tilde.host import load_ts, read_extra_files

PROBE_SAMPLES = 16384


@dataclass
class CodecHandle:
    """A loaded codec. `encode`: [B, 1, N] → [B, latent_size, N / ratio]; `decode`: the inverse."""

    path: Path
    module: torch.jit.ScriptModule
    ratio: int
    latent_size: int
    sample_rate: int | None

    @torch.inference_mode()
    def encode(self, audio: torch.Tensor) -> torch.Tensor:
        return self.module.encode(audio)

    @torch.inference_mode()
    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        return self.module.decode(latents)


def load_codec(path: str | Path) -> CodecHandle:
    """Load and probe a codec `.ts`; one-line `ModelContractError` if it cannot serve as a latent space."""
    path = Path(path)
    module = load_ts(path)
    for name in ("encode", "decode"):
        if not hasattr(module, name):
            raise ModelContractError(f"{path}: has no nn~ method '{name}'; give a codec export "
                                     f"(export.ts / export_stream.ts from `after export_autoencoder`, or a RAVE .ts)")
    if hasattr(module, "reset_state"):
        module.reset_state()
    try:
        with torch.inference_mode():
            z = module.encode(torch.zeros(1, 1, PROBE_SAMPLES))
    except Exception as exc:  # a foreign TorchScript model can raise anything; its first line is the reason
        reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        raise ModelContractError(f"{path}: encode failed on a {PROBE_SAMPLES}-sample probe ({reason})") from None
    if z.dim() != 3 or z.shape[-1] == 0 or PROBE_SAMPLES % z.shape[-1]:
        raise ModelContractError(f"{path}: encode returned shape {list(z.shape)} for {PROBE_SAMPLES} samples; "
                                 f"expected [1, C, {PROBE_SAMPLES} / ratio]")
    if hasattr(module, "reset_state"):
        module.reset_state()
    sample_rate = None
    import json
    extra = read_extra_files(path)
    if "after/metadata.json" in extra:
        sample_rate = json.loads(extra["after/metadata.json"]).get("sample_rate")
    return CodecHandle(path, module, PROBE_SAMPLES // z.shape[-1], int(z.shape[1]), sample_rate)
