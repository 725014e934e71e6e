"""The host side of the nn~ contract: read and drive an nn~ `.ts` the way nn~ in Max or Pd does.

The host (nn~) loads the file, then:

* calls `get_methods()` and reads `<method>_params` = [in_channels, in_ratio, out_channels, out_ratio];
* reads `<method>_input_labels` / `<method>_output_labels` (Max inlet/outlet assist strings);
* calls `get_attributes()`, reads `<attr>_params` (type ids 0 bool, 1 int, 2 float, 3 str), `get_<attr>()`,
  `set_<attr>(...)`;
* calls `set_sample_rate(int)` after loading;
* calls a method with float32 [batch, in_channels, buffer / in_ratio] and expects
  [batch, out_channels, buffer / out_ratio].

`read_model_info` reads everything a device generator needs (methods, attributes, our metadata and map image);
`emulate_host` drives a loaded `.ts` exactly like the host does (decimation by keeping the last sample of each
block, zero-order hold on output). Models saved by `after.nn_tilde.module.save_nn_model` or by anyone else.
"""

import json
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import torch

from after.errors import AfterWarning, InputError, ModelContractError
from after.nn_tilde.module import MAP_IMAGE_FILE, METADATA_FILE, TYPE_NAMES

HOST_BUFFER_SIZES = (2048, 4096, 8192, 16384)
# What a call into a TorchScript model raises when the model fails: an operator's RuntimeError (shapes,
# dtypes), or `torch.jit.Error` for a `raise` in scripted code (not a RuntimeError subclass).
SCRIPT_ERRORS = (RuntimeError, torch.jit.Error)


@dataclass(frozen=True)
class MethodInfo:
    """One nn~ method as the host sees it."""

    name: str
    in_channels: int
    in_ratio: int
    out_channels: int
    out_ratio: int
    input_labels: List[str]
    output_labels: List[str]


@dataclass(frozen=True)
class AttributeInfo:
    """One settable attribute: its type names and current (default) values."""

    name: str
    types: List[str]
    values: List[Any]


@dataclass(frozen=True)
class ModelInfo:
    """Everything `after-device` and the tests need to know about an nn~ `.ts` file."""

    path: Path
    methods: Dict[str, MethodInfo]
    attributes: Dict[str, AttributeInfo]
    metadata: Dict[str, Any] = field(default_factory=dict)
    map_image: Optional[bytes] = None

    @property
    def highest_ratio(self) -> int:
        return max([max(m.in_ratio, m.out_ratio) for m in self.methods.values()] or [1])


def load_ts(path: str | Path) -> torch.jit.ScriptModule:
    """Load a TorchScript file with one-line errors for missing / corrupt / non-TorchScript files."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found; give the path of an exported .ts model")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the path of an exported .ts model")
    if not zipfile.is_zipfile(path):
        raise ModelContractError(f"{path}: not a TorchScript file (not a zip archive); export the model with "
                                 f"`after export` or torch.jit.save")
    try:
        model = torch.jit.load(str(path), map_location="cpu")
    except Exception as exc:  # a foreign or damaged file can make the loader raise anything; report its reason
        raise ModelContractError(f"{path}: cannot load as TorchScript ({first_line(exc)}); re-export the "
                                 f"model") from None
    model.eval()
    return model


def read_extra_files(path: str | Path) -> Dict[str, bytes]:
    """Extra files stored in a `.ts` (our metadata and map image); empty for foreign models."""
    out: Dict[str, bytes] = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            parts = info.filename.split("/")
            if len(parts) >= 3 and parts[1] == "extra":
                out["/".join(parts[2:])] = zf.read(info)
    return out


def first_line(exc: BaseException, last: bool = False, limit: int = 160) -> str:
    """One line of an exception's message for a one-line error (its type name when the message is empty).
    TorchScript errors put the scripted traceback first and the error itself last: pass `last=True` for them."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return (lines[-1] if last else lines[0])[:limit] if lines else type(exc).__name__


def _warn(message: str) -> None:
    """Something of the model is left out: the CLI prints it as one `warning:` line (`after.errors.AfterWarning`)."""
    warnings.warn(message, AfterWarning, stacklevel=3)


def _method_names(path: Path, model: torch.jit.ScriptModule) -> List[str]:
    """The model's nn~ methods: `get_methods()`, or for a model without it (nn~'s own fallback) every scripted
    method that has a `<name>_params` attribute."""
    if not hasattr(model, "get_methods"):
        names = list(model._c._method_names()) if hasattr(model, "_c") else []
        return [n for n in names if model._c.hasattr(f"{n}_params")]
    try:
        return list(model.get_methods())
    except SCRIPT_ERRORS as exc:
        raise ModelContractError(f"{path}: get_methods() failed ({first_line(exc, last=True)}); nn~ cannot list "
                                 f"its methods either, re-export the model") from None


def _attribute_names(path: Path, model: torch.jit.ScriptModule) -> List[str]:
    """`get_attributes()` without nn~'s placeholder `none`; no attributes for a model without the method."""
    if not hasattr(model, "get_attributes"):
        return []
    try:
        return [a for a in model.get_attributes() if a != "none"]
    except SCRIPT_ERRORS as exc:
        raise ModelContractError(f"{path}: get_attributes() failed ({first_line(exc, last=True)}); nn~ cannot "
                                 f"list its attributes either, re-export the model") from None


def read_model_info(path: str | Path, model: Optional[torch.jit.ScriptModule] = None) -> ModelInfo:
    """Read methods, attributes and metadata of an nn~ model the way the host does.

    A method or attribute the model lists but cannot serve (no `<name>_params`, no getter, a getter that
    raises) is left out with an `AfterWarning` naming it, so a device built from the result says what it lacks.
    """
    path = Path(path)
    model = model if model is not None else load_ts(path)
    methods: Dict[str, MethodInfo] = {}
    for name in _method_names(path, model):
        params = getattr(model, f"{name}_params", None) if model._c.hasattr(f"{name}_params") else None
        if params is None or len(params) < 4:
            _warn(f"{path}: method {name} left out: it has no {name}_params with [in_channels, in_ratio, "
                  f"out_channels, out_ratio], so nn~ cannot call it")
            continue
        p = [int(v) for v in params[:4]]
        in_labels = list(getattr(model, f"{name}_input_labels", [f"(signal) model input {i}" for i in range(p[0])]))
        out_labels = list(getattr(model, f"{name}_output_labels", [f"(signal) model output {i}" for i in range(p[2])]))
        methods[name] = MethodInfo(name, p[0], p[1], p[2], p[3], in_labels, out_labels)
    if not methods:
        raise ModelContractError(f"{path}: not an nn~ model (no get_methods() and no <method>_params); export it "
                                 f"with `after export`, or with nn_tilde")
    attributes: Dict[str, AttributeInfo] = {}
    for name in _attribute_names(path, model):
        params = getattr(model, f"{name}_params", None)
        getter = getattr(model, f"get_{name}", None)
        if params is None or getter is None:
            missing = f"{name}_params" if params is None else f"get_{name}()"
            _warn(f"{path}: attribute {name} left out: the model lists it but has no {missing}, so no control "
                  f"can drive it")
            continue
        types = [TYPE_NAMES.get(int(t), "unknown") for t in params]
        try:
            value = getter()
            values = list(value) if isinstance(value, (tuple, list)) else [value]  # nn~ getters return tuples
        except SCRIPT_ERRORS as exc:  # keep the attribute, without a current value
            _warn(f"{path}: attribute {name}: get_{name}() failed ({first_line(exc, last=True)}); its control "
                  f"starts at 0 instead of the model's value")
            values = []
        attributes[name] = AttributeInfo(name, types, values)
    extra = read_extra_files(path)
    metadata: Dict[str, Any] = {}
    if METADATA_FILE in extra:
        try:
            metadata = json.loads(extra[METADATA_FILE].decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise ModelContractError(f"{path}: corrupt metadata inside the .ts; re-export the model") from None
    return ModelInfo(path, methods, attributes, metadata, extra.get(MAP_IMAGE_FILE))


def emulate_host(model: torch.jit.ScriptModule, method: str, host_input: torch.Tensor,
                 in_ratio: int, out_ratio: int) -> torch.Tensor:
    """Run one nn~ buffer through `method` exactly as the host does.

    host_input: [batch, in_channels, buffer] audio-rate signals. The host keeps the last sample of each block
    of `in_ratio` samples, calls the method on [batch, in_channels, buffer / in_ratio], checks the output is
    [batch, out_channels, buffer / out_ratio] and repeats each value `out_ratio` times.
    Returns [batch, out_channels, buffer] float32.
    """
    batch, channels, buffer = host_input.shape
    if buffer % in_ratio or buffer % out_ratio:
        raise ValueError(f"buffer {buffer} is not divisible by the ratios {in_ratio}/{out_ratio}")
    x = host_input.reshape(batch, channels, buffer // in_ratio, in_ratio)[..., -1].contiguous()
    with torch.inference_mode():
        y = getattr(model, method)(x)
    if y.dim() != 3 or y.shape[0] != batch or y.shape[2] != buffer // out_ratio or y.dtype != torch.float32:
        raise ModelContractError(f"method {method}: model output size is not consistent, expected "
                                 f"[{batch}, *, {buffer // out_ratio}] float32, got {list(y.shape)} {y.dtype}")
    return y.repeat_interleave(out_ratio, dim=-1)
