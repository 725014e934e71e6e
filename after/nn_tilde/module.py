"""The model side of the nn~ host contract (see `NN_TILDE_AND_FORMATS.md` §A): what every export subclasses.

Exported models subclass `NNModule` and call `register_method` / `register_attribute`; each attribute needs
`get_<name>() -> Tuple[...]` and `set_<name>(...) -> int` methods decorated with `@torch.jit.export` (setters
return 0, or -1 to refuse a value). `save_nn_model` scripts one and saves it with its metadata (config, sample
rate, latency, presets, map image ...) inside the `.ts` as extra files. `finite` is what every exported method
applies to the buffers a host hands it. How the host then drives the file: `after.nn_tilde.host`.
"""

import json
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

import torch
from torch import nn

TYPE_IDS = {bool: 0, int: 1, float: 2, str: 3}
TYPE_NAMES = {0: "bool", 1: "int", 2: "float", 3: "str", 4: "tensor", 5: "buffer"}
METADATA_FILE = "after/metadata.json"
MAP_IMAGE_FILE = "after/map.png"
AUDIO_BOUND = 8.0  # audio inputs are clamped to ±8 (18 dB over full scale)
SIGNAL_BOUND = 1000.0  # latent-rate inputs (latents, structure, timbre, map positions) are clamped to ±1000


def finite(x: torch.Tensor, bound: float) -> torch.Tensor:
    """x with NaN and ±inf replaced by 0, values clamped to ±bound and denormals flushed to 0 (a new tensor)."""
    x = torch.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0).clamp(-bound, bound)
    # Denormals (and anything below 1e-30) carry nothing and slow every layer they pass through down.
    return x.masked_fill(x.abs() < 1e-30, 0.0)


def all_finite(x: torch.Tensor) -> bool:
    return bool(torch.isfinite(x).all())


class NNModule(nn.Module):
    """Base class of every model we export for nn~ (methods, attributes, sample rate)."""

    _methods: List[str]
    _attributes: List[str]

    def __init__(self) -> None:
        super().__init__()
        self._methods = []
        self._attributes = []
        self.host_sample_rate = -1

    # ---------------------------------------------------------------- registration (Python side only)
    def register_method(
        self,
        name: str,
        in_channels: int,
        in_ratio: int,
        out_channels: int,
        out_ratio: int,
        input_labels: Optional[Sequence[str]] = None,
        output_labels: Optional[Sequence[str]] = None,
        test: bool = True,
        test_buffer_size: int = 8192,
    ) -> None:
        """Declare `name` as an nn~ method and (optionally) check it on zero buffers of batch 1 and 4."""
        for ratio in (in_ratio, out_ratio):
            if ratio < 1 or ratio & (ratio - 1):
                raise ValueError(f"method {name}: ratio {ratio} is not a power of two (nn~ buffers are powers of 2)")
        input_labels = list(input_labels or [f"(signal) model input {i}" for i in range(in_channels)])
        output_labels = list(output_labels or [f"(signal) model output {i}" for i in range(out_channels)])
        if len(input_labels) != in_channels or len(output_labels) != out_channels:
            raise ValueError(f"method {name}: {len(input_labels)}/{len(output_labels)} labels for "
                             f"{in_channels}/{out_channels} channels")
        self.register_buffer(f"{name}_params", torch.tensor([in_channels, in_ratio, out_channels, out_ratio]))
        setattr(self, f"{name}_input_labels", input_labels)
        setattr(self, f"{name}_output_labels", output_labels)
        if test:
            method = getattr(self, name)
            with torch.no_grad():
                for batch in (1, 4):
                    x = torch.zeros(batch, in_channels, test_buffer_size // in_ratio)
                    y = method(x)
                    expected = (batch, out_channels, test_buffer_size // out_ratio)
                    if not isinstance(y, torch.Tensor) or tuple(y.shape) != expected or y.dtype != torch.float32:
                        got = tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__
                        raise ValueError(f"method {name}: expected float32 output {expected}, got {got}")
            self.reset_state()
        self._methods.append(name)

    def register_attribute(self, name: str, default: Any) -> None:
        """Declare a settable attribute (scalar or tuple of bool/int/float/str) with its default value."""
        values = default if isinstance(default, tuple) else (default,)
        types = [TYPE_IDS[type(v)] for v in values]
        self.register_buffer(f"{name}_params", torch.tensor(types, dtype=torch.long))
        setattr(self, name, default)
        self._attributes.append(name)

    def reset_state(self) -> None:
        """Clear streaming state (caches, buffers). Streaming subclasses override this."""

    def check_contract(self) -> None:
        """Raise if an attribute lacks its getter/setter (call before scripting)."""
        for name in self._attributes:
            for prefix in ("get_", "set_"):
                if not callable(getattr(self, prefix + name, None)):
                    raise TypeError(f"attribute {name}: missing {prefix}{name} (decorate it with @torch.jit.export)")

    # ---------------------------------------------------------------- host-facing (scripted)
    @torch.jit.export
    def get_methods(self) -> List[str]:
        return self._methods

    @torch.jit.export
    def get_attributes(self) -> List[str]:
        return self._attributes

    @torch.jit.export
    def get_buffer_attributes(self) -> List[str]:
        return []

    @torch.jit.export
    def set_sample_rate(self, sample_rate: int) -> int:
        self.host_sample_rate = sample_rate
        return 0

    @torch.jit.export
    def get_sample_rate(self) -> int:
        return self.host_sample_rate


def save_nn_model(module: NNModule, path: str | Path, metadata: Dict[str, Any],
                  extra_files: Optional[Dict[str, bytes]] = None,
                  verify: Optional[Callable[[Path, Path], None]] = None) -> None:
    """Script `module` and save it atomically with `metadata` (JSON) and extra files inside the `.ts`.
    `verify(written, final_path)` runs on the written temporary file before it is renamed into place (raise to
    keep it out), e.g. `after.nn_tilde.compat.require_nn_tilde_compat`."""
    from after.io import atomic_path

    module.check_contract()
    module.eval()
    scripted = torch.jit.script(module)
    files = {METADATA_FILE: json.dumps(metadata, ensure_ascii=False).encode("utf-8")}
    files.update(extra_files or {})
    with atomic_path(path) as tmp:
        torch.jit.save(scripted, str(tmp), _extra_files=files)
        if verify is not None:
            verify(Path(tmp), Path(path))
