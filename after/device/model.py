"""What a device needs to know about an nn~ model: kind, main method, timbre size, voices, latency, presets.

Read through `after.nn_tilde.read_model_info` (ours: metadata inside the `.ts`; upstream AFTER exports: no
metadata, inferred from the method table; RAVE-style codecs; any other nn~ model) and completed by the
user's flags where the model is silent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from after.errors import InputError
from after.nn_tilde import AttributeInfo, MethodInfo, ModelInfo

KINDS = ("audio", "midi", "codec", "generic")
MAIN_METHODS = {
    "audio": ("forward_manual", "generate_timbre"),
    "midi": ("forward_manual", "generate"),
    "codec": ("forward",),
}
DEFAULT_SAMPLE_RATE = 44100


@dataclass(frozen=True)
class Preset:
    """One timbre preset: a name (raw, from the user's files), the timbre vector [zt] and the map position."""

    name: str
    timbre: Tuple[float, ...]
    map_xy: Tuple[float, float]
    label: str = ""


@dataclass(frozen=True)
class Overrides:
    """What the user's flags supply where the model's metadata is silent (None = take the model's)."""

    kind: str = "auto"
    name: Optional[str] = None
    zt: Optional[int] = None
    n_poly: Optional[int] = None
    latency_ms: Optional[float] = None
    sample_rate: Optional[int] = None


@dataclass(frozen=True)
class DeviceModel:
    """An nn~ model seen by the device generator.

    `latency_samples` is the model's own latency (samples at `sample_rate`), without the nn~ buffer.
    """

    path: Path
    kind: str
    name: str
    sample_rate: int
    methods: Dict[str, MethodInfo]
    attributes: Dict[str, AttributeInfo]
    main: MethodInfo
    zt: int
    n_poly: int
    latency_samples: int
    presets: List[Preset] = field(default_factory=list)
    labels: List[str] = field(default_factory=list)
    map_image: Optional[bytes] = None
    notes: List[str] = field(default_factory=list)

    @property
    def highest_ratio(self) -> int:
        return max(max(m.in_ratio, m.out_ratio) for m in self.methods.values())

    @property
    def has_map(self) -> bool:
        return "latent2map" in self.methods and "map2latent" in self.methods and self.zt > 0


def infer_kind(info: ModelInfo) -> str:
    """Kind from our metadata, else from the method table (upstream exports, RAVE codecs, anything else)."""
    kind = info.metadata.get("kind")
    if kind in KINDS:
        return str(kind)
    names = set(info.methods)
    if "structure" in names and ("generate_timbre" in names or "forward_manual" in names):
        return "audio"
    if "generate" in names and "diffuse" in names and "structure" not in names:
        return "midi"
    if {"encode", "decode", "forward"} <= names:
        return "codec"
    return "generic"


def _pick_main(info: ModelInfo, kind: str) -> MethodInfo:
    for name in MAIN_METHODS.get(kind, ()):
        if name in info.methods:
            return info.methods[name]
    if kind in MAIN_METHODS:
        wanted = " or ".join(MAIN_METHODS[kind])
        raise InputError(f"{info.path}: a {kind} device needs the nn~ method {wanted}, which this model lacks; "
                         f"pass --kind generic")
    return info.methods.get("forward") or next(iter(info.methods.values()))


def _infer_zt(info: ModelInfo, kind: str, main: MethodInfo, flag: Optional[int]) -> int:
    if flag is not None:
        return flag
    if "zt" in info.metadata:
        return int(info.metadata["zt"])
    for name, attr in (("timbre", "out_channels"), ("map2latent", "out_channels")):
        if name in info.methods:
            return int(getattr(info.methods[name], attr))
    if kind == "audio":
        return main.in_channels - 1
    if kind == "midi":
        raise InputError(f"{info.path}: cannot tell the timbre size of this MIDI model; pass --zt N")
    return 0


def _parse_presets(info: ModelInfo, zt: int) -> Tuple[List[Preset], int]:
    """Presets from the metadata whose timbre has `zt` values; returns (presets, number skipped)."""
    presets: List[Preset] = []
    skipped = 0
    for entry in info.metadata.get("presets", []) or []:
        try:
            timbre = tuple(float(v) for v in entry["timbre"])
            xy = tuple(float(v) for v in entry.get("map", (0.0, 0.0)))
            if len(timbre) != zt or len(xy) != 2:
                raise ValueError
            presets.append(Preset(str(entry.get("name", "")), timbre, (xy[0], xy[1]), str(entry.get("label", ""))))
        except (KeyError, TypeError, ValueError):
            skipped += 1
    return presets, skipped


def device_model(info: ModelInfo, overrides: Overrides) -> DeviceModel:
    """Resolve kind, main method, zt, n_poly, latency and presets of `info`, completed by `overrides`."""
    kind = infer_kind(info) if overrides.kind == "auto" else overrides.kind
    if kind not in KINDS:
        raise InputError(f"--kind {kind}: unknown kind; use one of auto, {', '.join(KINDS)}")
    main = _pick_main(info, kind)
    zt = _infer_zt(info, kind, main, overrides.zt) if kind in ("audio", "midi") else 0
    notes: List[str] = []
    n_poly = 0
    if kind == "audio" and main.in_channels != 1 + zt:
        raise InputError(f"{info.path}: method {main.name} has {main.in_channels} inputs, expected 1 + zt = "
                         f"{1 + zt}; check --zt")
    if kind == "midi":
        n_poly = overrides.n_poly if overrides.n_poly is not None else int(
            info.metadata.get("n_poly", (main.in_channels - zt) // 2))
        if main.in_channels != 2 * n_poly + zt or n_poly < 1:
            raise InputError(f"{info.path}: method {main.name} has {main.in_channels} inputs, expected "
                             f"2 x n_poly + zt = {2 * n_poly + zt}; check --n-poly and --zt")
    sample_rate = int(overrides.sample_rate or info.metadata.get("sample_rate") or DEFAULT_SAMPLE_RATE)
    if overrides.latency_ms is not None:
        latency = int(round(overrides.latency_ms * sample_rate / 1000.0))
    elif "latency_samples" in info.metadata:
        latency = int(info.metadata["latency_samples"])
    else:
        latency = 0
        notes.append("The model does not state its latency: the device reports only the nn~ buffer latency "
                     "(rebuild with --latency-ms to add the model's own).")
    presets, skipped = _parse_presets(info, zt)
    if skipped:
        notes.append(f"{skipped} preset(s) in the model's metadata did not have {zt} timbre values and were left out.")
    raw_name = overrides.name or info.metadata.get("name") or info.path.name.removesuffix(".ts")
    labels = [str(v) for v in info.metadata.get("labels", []) or []]
    return DeviceModel(info.path, kind, str(raw_name), sample_rate, dict(info.methods), dict(info.attributes), main,
                       zt, n_poly, latency, presets, labels, info.map_image, notes)
