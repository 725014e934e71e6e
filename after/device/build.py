"""`after-device build`: one nn~ model → .amxd + .maxpat + .pd + preset bank + map picture + README.

Everything is rendered in memory first, then each file is written atomically; existing outputs are never
replaced without `force`, and every output name is a cleaned stem inside the output folder.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from after.device.amxd import amxd_bytes
from after.device.max_layout import build_max_patch
from after.device.model import Overrides, device_model
from after.device.pd_layout import build_pd_patch
from after.device.render import pattrstorage_bank, render_maxpat, render_pd, render_readme
from after.device.spec import DeviceSpec, build_spec
from after.errors import AfterError, InputError, OutputExistsError
from after.io import atomic_path
from after.nn_tilde import ModelInfo, read_model_info

FORMATS = ("amxd", "maxpat", "pd")


@dataclass(frozen=True)
class BuildResult:
    spec: DeviceSpec
    files: List[Path]
    seconds: float


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


def render_outputs(spec: DeviceSpec, formats: Sequence[str], out: Path) -> Dict[str, Tuple[bytes, str]]:
    """File name → (content, description) for everything `build` writes, rendered in memory."""
    stem, model = spec.file_stem, spec.model
    outputs: Dict[str, Tuple[bytes, str]] = {}
    dependencies: List[str] = []
    if spec.bank and {"amxd", "maxpat"} & set(formats):
        name = f"{spec.bank_name}.json"
        text = json.dumps(pattrstorage_bank(spec), indent="\t", ensure_ascii=False) + "\n"
        outputs[name] = (text.encode("utf-8"), "preset bank (Max pattrstorage JSON; the Pd patch has it as messages)")
        dependencies.append(name)
    if model.map_image and spec.map_rect:
        outputs[f"{stem}_map.png"] = (model.map_image, "picture of the 2-D timbre map")
        dependencies.append(f"{stem}_map.png")
    if "amxd" in formats:
        text = render_maxpat(spec, build_max_patch(spec, device=True), True, dependencies)
        kind = "instrument" if spec.definition.amxd_type == "iiii" else "audio effect"
        outputs[f"{stem}.amxd"] = (amxd_bytes(spec.definition.amxd_type, text), f"Max for Live {kind}")
    if "maxpat" in formats:
        text = render_maxpat(spec, build_max_patch(spec, device=False), False, dependencies)
        outputs[f"{stem}.maxpat"] = (text.encode("utf-8"), "Max patch (adc~/dac~ instead of the Live I/O)")
    if "pd" in formats:
        try:
            dir_ref = Path(os.path.relpath(model.path.resolve().parent, out.resolve())).as_posix()
        except ValueError:  # another drive (Windows): no relative path exists
            dir_ref = model.path.resolve().parent.as_posix()
        outputs[f"{stem}.pd"] = (render_pd(build_pd_patch(spec, dir_ref), dir_ref).encode("utf-8"),
                                 "Pure Data patch (with a file player)")
    readme = f"{stem}_README.md"
    files = [(name, what) for name, (_, what) in outputs.items()] + [(readme, "this file")]
    outputs[readme] = (render_readme(spec, model.path.name, files).encode("utf-8"), "this file")
    return outputs


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
    try:
        outputs = render_outputs(spec, formats, out)
    except ValueError as exc:  # a method table the layout cannot wire (a kit bug): never a traceback
        if model.kind == "generic":
            raise AfterError(f"{info.path}: cannot lay out a device for this model ({exc}); please report it") from None
        note = f"Built a generic device instead of the {model.kind} device: its layout failed ({exc})."
        model = device_model(info, replace(overrides, kind="generic"))
        spec = build_spec(replace(model, notes=[note] + model.notes), buffer)
        outputs = render_outputs(spec, formats, out)
    targets = [out / name for name in outputs]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise OutputExistsError(f"{existing[0]}: already exists ({len(existing)} output(s) would be replaced); "
                                f"pass --force to overwrite or choose another --out")
    _prepare_out(out)
    for target in targets:
        with atomic_path(target) as tmp:
            tmp.write_bytes(outputs[target.name][0])
    return BuildResult(spec, targets, time.perf_counter() - start)
