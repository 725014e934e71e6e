"""`after-device build`: one nn~ model → .amxd + .maxpat + .pd + preset bank + map picture + README.

Everything is rendered in memory first, then each file is written atomically; existing outputs are never
replaced without `force`, and every output name is a cleaned stem inside the output folder.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from after.device.amxd import amxd_bytes
from after.device.artefacts import bank_bytes, bank_file, map_file, migrate_old_names, read_bank
from after.device.hosts.max import write_max
from after.device.hosts.pd import write_pd
from after.device.model import Overrides, device_model
from after.device.names import display_name
from after.device.patch_graph import build_patch_graph
from after.device.render import render_maxpat, render_pd, render_readme
from after.device.spec import BankEntry, DeviceSpec, build_spec
from after.errors import AfterError, InputError, OutputExistsError
from after.io import atomic_path
from after.nn_tilde.host import ModelInfo, read_model_info

FORMATS = ("amxd", "maxpat", "pd")


@dataclass(frozen=True)
class BuildResult:
    spec: DeviceSpec
    files: List[Path]
    seconds: float
    messages: List[str] = field(default_factory=list)  # old-name files removed (one file per artefact)


def parse_formats(text: str) -> Tuple[str, ...]:
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(f"--formats {text}: unknown format {', '.join(unknown) or '(none)'}; use a comma list of "
                         f"{', '.join(FORMATS)}")
    return formats


def _prepare_out(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the output folder ({exc.strerror}); choose a writable --out") from None
    if not out.is_dir() or not os.access(out, os.W_OK | os.X_OK):
        raise InputError(f"{out}: the output folder is not writable; choose a writable --out")


@dataclass(frozen=True)
class Shared:
    """The bank and the picture a build references: each is written only when `*_bytes` is set (the output
    folder does not hold one yet); `*_from` says where an existing one was read."""

    bank_bytes: Optional[bytes] = None
    bank_from: Optional[Path] = None
    map_bytes: Optional[bytes] = None
    map_from: Optional[Path] = None


def render_outputs(spec: DeviceSpec, formats: Sequence[str], out: Path,
                   shared: Optional[Shared] = None) -> Dict[str, Tuple[bytes, str]]:
    """File name → (content, description) for everything `build` writes, rendered in memory (the bank and
    the picture only where `shared` says they must be written; default: both, from the model)."""
    stem, model = spec.file_stem, spec.model
    outputs: Dict[str, Tuple[bytes, str]] = {}
    dependencies: List[str] = []
    listed: List[Tuple[str, str]] = []
    if shared is None:
        shared = Shared(bank_bytes(spec.bank_name, spec.bank), None, model.map_image, None)
    if spec.bank and {"amxd", "maxpat"} & set(formats):
        name = f"{spec.bank_name}.json"
        what = "preset bank (Max pattrstorage JSON, shared by the model's devices; the Pd patch has it as messages)"
        if shared.bank_bytes is not None:
            outputs[name] = (shared.bank_bytes, what)
        else:
            listed.append((name, what + ", already here"))
        dependencies.append(name)
    if model.map_image and spec.map_rect:
        name = spec.map_picture
        what = "picture of the 2-D timbre map (shared by the model's devices)"
        if shared.map_bytes is not None:
            outputs[name] = (shared.map_bytes, what)
        else:
            listed.append((name, what + ", already here"))
        dependencies.append(name)
    graph = build_patch_graph(spec)  # one graph; each format's writer reads it
    if "amxd" in formats:
        text = render_maxpat(spec, write_max(graph, spec, device=True), True, dependencies)
        kind = "instrument" if spec.definition.amxd_type == "iiii" else "audio effect"
        outputs[f"{stem}.amxd"] = (amxd_bytes(spec.definition.amxd_type, text), f"Max for Live {kind}")
    if "maxpat" in formats:
        text = render_maxpat(spec, write_max(graph, spec, device=False), False, dependencies)
        outputs[f"{stem}.maxpat"] = (text.encode("utf-8"), "Max patch (adc~/dac~ instead of the Live I/O)")
    if "pd" in formats:
        try:
            dir_ref = Path(os.path.relpath(model.path.resolve().parent, out.resolve())).as_posix()
        except ValueError:  # another drive (Windows): no relative path exists
            dir_ref = model.path.resolve().parent.as_posix()
        outputs[f"{stem}.pd"] = (render_pd(write_pd(graph, spec, dir_ref), dir_ref).encode("utf-8"),
                                 "Pure Data patch (with a file player)")
    readme = f"{stem}_README.md"
    files = [(name, what) for name, (_, what) in outputs.items()] + listed + [(readme, "this file")]
    outputs[readme] = (render_readme(spec, model.path.name, files).encode("utf-8"), "this file")
    return outputs


def _shared_files(spec: DeviceSpec, out: Path) -> Tuple[DeviceSpec, Shared]:
    """Find the model's bank and picture (output folder first, then beside the model): the bank's slots become
    the device's presets (values for controls this device lacks are dropped); what the output folder lacks is
    copied there, or written from the model's metadata when nowhere to be found."""
    model = spec.model
    bank_name, picture = f"{spec.bank_name}.json", spec.map_picture
    places = [out, model.path.parent]
    bank_from = next((f / bank_name for f in places if (f / bank_name).is_file()), None)
    entries = read_bank(bank_from) if bank_from else None
    notes = list(spec.notes)
    if bank_from is not None and entries is None:
        if bank_from.parent == out:  # unreadable in the output folder: an output like any other (see --force)
            bank_from = None
        else:
            notes.append(f"{bank_from} is not a preset bank; the device's bank comes from the model instead.")
            bank_from = None
    if entries is not None and bank_from is not None and spec.bank:
        keys = {c.key for c, _ in spec.controls}
        kept = tuple(BankEntry(display_name(name), {k: v for k, v in values.items() if k in keys})
                     for name, values in entries)
        kept = tuple(e for e in kept if e.values)
        if kept:
            spec = replace(spec, bank=kept)
        else:
            notes.append(f"{bank_from.name}: no preset in it sets a control of this device; using the model's.")
            bank_from = None
    map_from = next((f / picture for f in places if (f / picture).is_file()), None)
    bank_out = None
    if bank_from is None or bank_from.parent != out:
        bank_out = bank_from.read_bytes() if bank_from is not None else bank_bytes(spec.bank_name, spec.bank)
    map_out = None
    if map_from is None or map_from.parent != out:
        map_out = map_from.read_bytes() if map_from is not None else model.map_image
    return replace(spec, notes=tuple(notes)), Shared(bank_out, bank_from, map_out, map_from)


def build_device(model_path: str | Path, out_dir: Optional[str | Path] = None, overrides: Overrides = Overrides(),
                 buffer: Optional[int] = None, formats: Sequence[str] = FORMATS, force: bool = False) -> BuildResult:
    """Build every output for `model_path` into `out_dir` (default: `<model folder>/<name>_device`)."""
    start = time.perf_counter()
    return build_from_info(read_model_info(model_path), out_dir, overrides, buffer, formats, force, start)


def build_from_info(info: ModelInfo, out_dir: Optional[str | Path] = None, overrides: Overrides = Overrides(),
                    buffer: Optional[int] = None, formats: Sequence[str] = FORMATS, force: bool = False,
                    start: Optional[float] = None) -> BuildResult:
    """`build_device` for a model already read (or described: the builder needs only `info`, not the weights);
    `start` is the `time.perf_counter()` the reported build time counts from (default: now)."""
    start = time.perf_counter() if start is None else start
    model = device_model(info, overrides)
    spec = build_spec(model, buffer)
    out = Path(out_dir) if out_dir is not None else info.path.parent / f"{spec.file_stem}_device"
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; choose another --out")
    spec, shared = _shared_files(spec, out)
    try:
        outputs = render_outputs(spec, formats, out, shared)
    except ValueError as exc:  # a method table the layout cannot wire (a kit bug): never a traceback
        if model.kind == "generic":
            raise AfterError(f"{info.path}: cannot lay out a device for this model ({exc}); please report it") from None
        note = f"Built a generic device instead of the {model.kind} device: its layout failed ({exc})."
        model = device_model(info, replace(overrides, kind="generic"))
        spec, shared = _shared_files(build_spec(replace(model, notes=[note] + model.notes), buffer), out)
        outputs = render_outputs(spec, formats, out, shared)
    targets = [out / name for name in outputs]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise OutputExistsError(f"{existing[0]}: already exists ({len(existing)} output(s) would be replaced); "
                                f"pass --force to overwrite or choose another --out")
    _prepare_out(out)
    for target in targets:
        with atomic_path(target) as tmp:
            tmp.write_bytes(outputs[target.name][0])
    messages = migrate_old_names(info.path, out, spec.model.map_image, spec.file_stem)
    if out.resolve() != info.path.parent.resolve():
        messages += migrate_old_names(info.path, info.path.parent, spec.model.map_image)
    return BuildResult(spec, targets, time.perf_counter() - start, messages)


def write_model_artefacts(model_path: str | Path) -> Tuple[Path, Optional[Path], List[str]]:
    """Write the preset bank (factory + the model's presets, for its auto-detected device) and the map picture
    (if the model carries one) beside `model_path`; migrate old names. Returns (bank, picture, messages)."""
    model_path = Path(model_path)
    info = read_model_info(model_path)
    spec = build_spec(device_model(info, Overrides()))
    bank = model_path.parent / bank_file(model_path)
    with atomic_path(bank) as tmp:
        tmp.write_bytes(bank_bytes(spec.bank_name, spec.bank))
    picture = None
    if info.map_image:
        picture = model_path.parent / map_file(model_path)
        with atomic_path(picture) as tmp:
            tmp.write_bytes(info.map_image)
    return bank, picture, migrate_old_names(model_path, model_path.parent, info.map_image)
