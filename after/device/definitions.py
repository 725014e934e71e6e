"""Declarative device definitions (`devices/*.yaml`) and factory presets (`presets/factory.yaml`).

A definition is a row of sections laid out left to right in the 169 px Live strip. A section holds controls
(fixed rectangles relative to the section), and optionally the timbre dial grid, the 2-D map, the preset menu
or a meter. Each control says which nn~ message/attribute or device stage it drives; the layout code knows
how to wire each kind of `drives`, so adding or moving a control is an edit of the YAML only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Dict, List, Optional, Tuple

import yaml

from after.errors import ConfigError

WIDGETS = ("dial", "toggle", "tab", "numbox")
DRIVES = ("message", "attribute", "gain", "mix", "timbre_source")
UNITS = {"": 1, "int": 0, "float": 1, "dB": 4, "%": 5}
Rect = Tuple[int, int, int, int]


@dataclass(frozen=True)
class Control:
    """One automatable control. `drives` is a one-entry mapping, e.g. {"attribute": "nb_steps"}."""

    key: str
    long_name: str
    short_name: str
    widget: str
    rect: Rect
    minimum: float = 0.0
    maximum: float = 1.0
    default: float = 0.0
    integer: bool = False
    unit: str = ""
    items: Tuple[str, ...] = ()
    drives: Tuple[str, str] = ("", "")


@dataclass(frozen=True)
class TimbreGrid:
    """The `zt` timbre dials: names with `{i}` (1-based), range, and a grid of `rows` rows."""

    long_name: str
    short_name: str
    minimum: float
    maximum: float
    default: float
    rows: int
    cell: Tuple[int, int]
    dial: Tuple[int, int]


@dataclass(frozen=True)
class MapArea:
    """The 2-D timbre map (model picture + x/y dials)."""

    rect: Rect
    x: Control
    y: Control


@dataclass(frozen=True)
class Keyboard:
    """An instrument's on-screen keyboard (`keys` keys from MIDI note `low`) and its demo phrase: `phrase`
    MIDI notes played in a loop, one every `step_ms` ms at `velocity`, switched by the toggle at `demo`."""

    rect: Rect
    low: int
    keys: int
    demo: Rect
    phrase: Tuple[int, ...]
    step_ms: int
    velocity: int


@dataclass(frozen=True)
class Section:
    title: str
    controls: Tuple[Control, ...] = ()
    timbre: Optional[TimbreGrid] = None
    map: Optional[MapArea] = None
    presets: Optional[Rect] = None
    meter: Optional[Rect] = None
    attributes: Optional[Tuple[int, int]] = None  # generic devices: one control per model attribute, cell size
    keyboard: Optional[Keyboard] = None
    test_tone: Optional[Rect] = None  # the .maxpat's test tone toggle (audio effects; not in the Live device)


@dataclass(frozen=True)
class DeviceDefinition:
    name: str
    title: str
    amxd_type: str
    timbre_sources: Tuple[str, ...]
    sections: Tuple[Section, ...] = field(default_factory=tuple)


def _rect(values: Any) -> Rect:
    """`[x, y, width, height]` from the YAML (ValueError unless four numbers)."""
    x, y, width, height = (int(v) for v in values)
    return x, y, width, height


def _control(data: Dict[str, Any], where: str) -> Control:
    try:
        widget = data["widget"]
        if widget not in WIDGETS:
            raise ConfigError(f"{where}: widget {widget!r} unknown; use one of {', '.join(WIDGETS)}")
        drives = tuple(next(iter(data.get("drives", {"": ""}).items())))
        if drives[0] and drives[0] not in DRIVES:
            raise ConfigError(f"{where}: drives {drives[0]!r} unknown; use one of {', '.join(DRIVES)}")
        unit = str(data.get("unit", ""))
        if unit not in UNITS:
            raise ConfigError(f"{where}: unit {unit!r} unknown; use one of {', '.join(UNITS)}")
        items = tuple(str(i) for i in data.get("items", ()))
        if widget == "toggle":
            items = ("off", "on")
        return Control(
            key=str(data["key"]), long_name=str(data["long_name"]), short_name=str(data.get("short_name",
            data["long_name"])), widget=widget, rect=_rect(data["rect"]),
            minimum=float(data.get("min", 0.0)), maximum=float(data.get("max", max(len(items) - 1, 1))),
            default=float(data.get("default", 0.0)), integer=bool(data.get("integer", widget in ("toggle", "tab"))),
            unit=unit, items=items, drives=(str(drives[0]), str(drives[1])))
    except (KeyError, TypeError, ValueError, StopIteration) as exc:
        raise ConfigError(f"{where}: bad control definition ({exc}); see docs/DEVICES.md") from None


def _section(data: Dict[str, Any], where: str) -> Section:
    controls = tuple(_control(c, f"{where}/{c.get('key', '?')}") for c in data.get("controls", []))
    timbre = None
    if "timbre" in data:
        t = data["timbre"]
        timbre = TimbreGrid(t["long_name"], t["short_name"], float(t["min"]), float(t["max"]), float(t["default"]),
                            int(t["rows"]), tuple(t["cell"]), tuple(t["dial"]))
    map_area = None
    if "map" in data:
        m = data["map"]
        map_area = MapArea(_rect(m["rect"]), _control(m["x"], f"{where}/map x"), _control(m["y"], f"{where}/map y"))
    keyboard = None
    if "keyboard" in data:
        k = data["keyboard"]
        keyboard = Keyboard(_rect(k["rect"]), int(k["low"]), int(k["keys"]),
                            _rect(k["demo"]), tuple(int(n) for n in k["phrase"]),
                            int(k["step_ms"]), int(k["velocity"]))
        if not (keyboard.phrase and 0 <= keyboard.low and keyboard.low + keyboard.keys <= 128
                and all(0 <= n < 128 for n in keyboard.phrase) and 0 < keyboard.velocity < 128
                and keyboard.step_ms > 0):
            raise ConfigError(f"{where}: keyboard notes, velocity must be MIDI values (0-127), the phrase not "
                              f"empty and step_ms > 0")
    return Section(str(data["title"]), controls, timbre, map_area,
                   _rect(data["presets"]) if "presets" in data else None,
                   _rect(data["meter"]) if "meter" in data else None,
                   tuple(data["attributes"]) if "attributes" in data else None, keyboard,
                   _rect(data["test_tone"]) if "test_tone" in data else None)


def load_definition(kind: str) -> DeviceDefinition:
    """The device definition `devices/<kind>.yaml` shipped in the package `after.devices`."""
    resource = resources.files("after.devices") / f"{kind}.yaml"
    if not resource.is_file():
        raise ConfigError(f"devices/{kind}.yaml: no device definition for kind {kind!r}")
    return parse_definition(yaml.safe_load(resource.read_text(encoding="utf-8")), f"devices/{kind}.yaml")


def parse_definition(data: Dict[str, Any], where: str) -> DeviceDefinition:
    """A `DeviceDefinition` from the parsed YAML of a definition file; `where` names it in errors."""
    try:
        return DeviceDefinition(str(data["name"]), str(data["title"]), str(data["amxd_type"]),
                                tuple(data.get("timbre_sources", ())),
                                tuple(_section(s, f"{where}/{s.get('title', '?')}") for s in data["sections"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: bad device definition ({exc}); see docs/DEVICES.md") from None


def load_factory_presets(kind: str) -> List[Tuple[str, Dict[str, float]]]:
    """Factory control presets for `kind`: [(name, {control key: value})] from `presets/factory.yaml`."""
    data = yaml.safe_load((resources.files("after.presets") / "factory.yaml").read_text(encoding="utf-8"))
    return [(str(p["name"]), {str(k): float(v) for k, v in p["values"].items()}) for p in data.get(kind, [])]
