"""What a device needs to know about an nn~ model: kind, main method, timbre size, voices, latency, presets.

Read through `after.nn_tilde.host.read_model_info` (ours: metadata inside the `.ts`; upstream AFTER exports: no
metadata, inferred from the method table; RAVE-style codecs; any other nn~ model) and completed by the
user's flags where the model is silent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from after.errors import InputError, ModelContractError
from after.nn_tilde.contract import (
    MAIN_METHODS,
    MAP_METHODS,
    MODEL_KINDS,
    TIMBRE_METHOD,
    contract_problem,
    kind_of_methods,
)
from after.nn_tilde.host import AttributeInfo, MethodInfo, ModelInfo

KINDS = MODEL_KINDS + ("generic",)  # a generic device serves any other nn~ model
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
        """The 2-D map serves as a timbre source only when `latent2map` takes zt values to 2 and `map2latent`
        gives 2 back to zt (exports without a latent projection map 2 channels to 2: not usable here)."""
        return map_problem(self.methods, self.zt) is None

    @property
    def has_timbre_input(self) -> bool:
        """A sidechain timbre source needs `timbre` with an audio input and zt outputs."""
        timbre = self.methods.get(TIMBRE_METHOD)
        return timbre is not None and timbre.in_channels >= 1 and timbre.out_channels == self.zt > 0


class UnfitModel(Exception):
    """The method table does not fit the chosen device kind (the message says why)."""


def map_problem(methods: Dict[str, MethodInfo], zt: int) -> Optional[str]:
    """Why the model's map cannot drive a device with `zt` timbre dimensions (None: it can)."""
    l2m, m2l = methods.get(MAP_METHODS[0]), methods.get(MAP_METHODS[1])
    if l2m is None and m2l is None:
        return "the model has no latent2map / map2latent methods"
    if l2m is None or m2l is None:
        return f"the model has {'map2latent' if l2m is None else 'latent2map'} but not its inverse"
    if zt <= 0:
        return "the model has no timbre dimensions"
    if (l2m.in_channels, l2m.out_channels, m2l.in_channels, m2l.out_channels) != (zt, 2, 2, zt):
        return (f"latent2map takes {l2m.in_channels} and gives {l2m.out_channels}, map2latent takes "
                f"{m2l.in_channels} and gives {m2l.out_channels} channels, not zt {zt} <-> 2 (a model exported "
                f"without a latent projection)")
    return None


def infer_kind(info: ModelInfo) -> str:
    """Kind from our metadata, else from the method table (upstream exports, RAVE codecs, anything else)."""
    kind = info.metadata.get("kind")
    if kind in KINDS:
        return str(kind)
    return kind_of_methods(info.methods) or "generic"


def check_contract(info: ModelInfo, kind: str) -> None:
    """A model whose metadata says it is our export of `kind` must keep `after.nn_tilde.contract` for that kind (its
    method table at its stated sizes, and the attributes); `ModelContractError` (one line) otherwise. Models
    without our metadata are read for what they offer instead."""
    if kind not in MODEL_KINDS or info.metadata.get("kind") != kind:
        return
    table = {name: (m.in_channels, m.in_ratio, m.out_channels, m.out_ratio) for name, m in info.methods.items()}
    problem = contract_problem(kind, table, info.attributes, info.metadata)  # type: ignore[arg-type]
    if problem:
        raise ModelContractError(f"{info.path}: does not match the nn~ contract of after.nn_tilde.contract: {problem}; "
                                 f"re-export it with `after export` (or build with --kind generic)")


def _pick_main(info: ModelInfo, kind: str) -> MethodInfo:
    for name in MAIN_METHODS.get(kind, ()):
        if name in info.methods:
            return info.methods[name]
    if kind in MAIN_METHODS:
        raise UnfitModel(f"a {kind} device needs the nn~ method {' or '.join(MAIN_METHODS[kind])}, which this "
                         f"model lacks")
    return info.methods.get("forward") or next(iter(info.methods.values()))


def _infer_zt(info: ModelInfo, kind: str, main: MethodInfo, flag: Optional[int]) -> int:
    if flag is not None:
        return flag
    if "zt" in info.metadata:
        return int(info.metadata["zt"])
    if TIMBRE_METHOD in info.methods:
        return int(info.methods[TIMBRE_METHOD].out_channels)
    m2l = info.methods.get(MAP_METHODS[1])
    if m2l is not None and m2l.in_channels == 2 and m2l.out_channels != 2:  # 2 -> 2: no projection, says nothing
        return int(m2l.out_channels)
    if kind == "audio":
        return main.in_channels - 1
    raise UnfitModel("cannot tell the timbre size of this MIDI model (no metadata, no timbre method); pass --zt N")


def _sizes(info: ModelInfo, kind: str, overrides: Overrides) -> Tuple[MethodInfo, int, int]:
    """(main method, zt, n_poly) of a `kind` device, or `UnfitModel` when the method table disagrees."""
    main = _pick_main(info, kind)
    if kind not in ("audio", "midi"):
        return main, 0, 0
    zt = _infer_zt(info, kind, main, overrides.zt)
    if zt < 0:
        raise UnfitModel(f"--zt {zt}: give a timbre size >= 0")
    if kind == "audio":
        if main.in_channels != 1 + zt:
            raise UnfitModel(f"method {main.name} has {main.in_channels} inputs, expected 1 + zt = {1 + zt}; "
                             f"check --zt")
        return main, zt, 0
    n_poly = overrides.n_poly if overrides.n_poly is not None else int(
        info.metadata.get("n_poly", (main.in_channels - zt) // 2))
    if main.in_channels != 2 * n_poly + zt or n_poly < 1:
        raise UnfitModel(f"method {main.name} has {main.in_channels} inputs, expected 2 x n_poly + zt = "
                         f"{2 * n_poly + zt}; check --n-poly and --zt")
    return main, zt, n_poly


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
    check_contract(info, kind)
    notes: List[str] = []
    try:
        main, zt, n_poly = _sizes(info, kind, overrides)
    except UnfitModel as exc:
        if overrides.kind != "auto" or overrides.zt is not None or overrides.n_poly is not None:
            raise InputError(f"{info.path}: {exc}") from None
        # Detected, not asked for: a simpler device that still plays beats a refusal.
        notes.append(f"Built a generic device instead of the {kind} device: {exc}.")
        kind = "generic"
        main, zt, n_poly = _sizes(info, kind, overrides)
    if kind in ("audio", "midi"):
        problem = map_problem(info.methods, zt)
        if problem and set(MAP_METHODS) & set(info.methods):
            notes.append(f"No timbre map: {problem}.")
        timbre = info.methods.get(TIMBRE_METHOD)
        if timbre is not None and timbre.out_channels != zt:
            notes.append(f"No sidechain timbre: the timbre method gives {timbre.out_channels} values, not zt {zt}.")
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
