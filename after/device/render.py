"""Render patch graphs to `.maxpat` JSON, `.pd` text and the device README with Jinja (StrictUndefined).

Templates load from the package `after.templates` (the top-level `templates/` folder) through
`importlib.resources`, so an installed wheel finds them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Dict, List, Optional, Tuple

import jinja2

from after.device.artefacts import bank_json
from after.device.boxes import Patch
from after.device.names import display_name
from after.device.spec import STRIP_HEIGHT, DeviceSpec


def _load_template(name: str) -> Optional[str]:
    resource = resources.files("after.templates") / name
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


ENVIRONMENT = jinja2.Environment(loader=jinja2.FunctionLoader(_load_template), undefined=jinja2.StrictUndefined,
                                 keep_trailing_newline=True, autoescape=False)


def amxd_type_code(fourcc: str) -> int:
    """`project.amxdtype`: the device-type FourCC read as a big-endian u32 (aaaa → 1633771873)."""
    return int.from_bytes(fourcc.encode("ascii"), "big")


def render_maxpat(spec: DeviceSpec, patch: Patch, device: bool, dependencies: List[str]) -> str:
    """The patcher JSON text (tab-indented like Max); `device` adds the `project` block of an .amxd."""
    text = ENVIRONMENT.get_template("maxpat.json.j2").render(
        boxes=patch.boxes, lines=patch.lines, width=spec.width, strip_height=STRIP_HEIGHT,
        description=f"{spec.definition.title} for {spec.title}",
        amxdtype=amxd_type_code(spec.definition.amxd_type) if device else None, dependencies=dependencies)
    json.loads(text)  # a template bug must fail here, not in Max
    return text


def render_pd(patch: Patch, dir_ref: str) -> str:
    width = max(b.position[0] for b in patch.boxes) + 300
    height = max(b.position[1] for b in patch.boxes) + 60
    return ENVIRONMENT.get_template("patch.pd.j2").render(boxes=patch.boxes, lines=patch.lines, width=width,
                                                          height=height, dir_ref=dir_ref)


def layout_description(spec: DeviceSpec) -> List[str]:
    """Screen-free description of the strip: per section, its x range and what sits there."""
    lines: List[str] = []
    titles = list(spec.section_titles) + [("", spec.width + 8)]
    for (title, x0), (_, x1) in zip(titles, titles[1:]):
        inside = [c.long_name for c, r in spec.controls if x0 <= r[0] < x1]
        extras = []
        if spec.map_rect and x0 <= spec.map_rect[0] < x1:
            picture = "the model's map picture" if spec.model.map_image else "a blank map (no picture in the model)"
            extras.append(f"{spec.map_rect[2]}x{spec.map_rect[3]} px 2-D map over {picture} (click to move the timbre)")
        if spec.preset_rect and x0 <= spec.preset_rect[0] < x1:
            extras.append("preset menu on top")
        extras += ["level meter" for r in spec.meters if x0 <= r[0] < x1]
        if spec.keyboard and x0 <= spec.keyboard.rect[0] < x1:
            extras.append(f"on-screen keyboard ({spec.keyboard.keys} keys from MIDI note {spec.keyboard.low}; a click "
                          f"starts a note, a second click ends it) and a demo phrase toggle")
        if spec.test_tone_rect and x0 <= spec.test_tone_rect[0] < x1:
            extras.append("test tone toggle (plain Max patch only; on at load)")
        lines.append(f"{title} (x {x0}–{x1 - 8}): " + ", ".join(inside + extras))
    return lines


def render_readme(spec: DeviceSpec, model_file: str, files: List[Tuple[str, str]]) -> str:
    return ENVIRONMENT.get_template("README.md.j2").render(
        spec=spec, model_file=model_file, files=files, strip_height=STRIP_HEIGHT, layout=layout_description(spec),
        labels=[display_name(label) for label in spec.model.labels])


def pattrstorage_bank(spec: DeviceSpec) -> Dict[str, object]:
    """The Max preset bank (`pattrstorage` JSON): one slot per bank entry, values keyed by varname."""
    return bank_json(spec.bank_name, spec.bank)
