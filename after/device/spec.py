"""`DeviceSpec`: a device definition resolved against one model — which controls exist, where they sit in
the strip, nn~ buffer sizes, reported latency and the preset bank. Both layouts (Max, Pd) read only this."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

from after.device.artefacts import bank_file, map_file
from after.device.definitions import Control, DeviceDefinition, Keyboard, Rect, load_definition, load_factory_presets
from after.device.model import DeviceModel
from after.device.names import display_name, safe_filename
from after.errors import ConfigError, InputError
from after.nn_tilde.contract import ATTRIBUTE_BY_NAME

STRIP_HEIGHT = 169
SECTION_GAP = 8
PD_MAX_BUFFER_1IN_1OUT = 4096  # nn~ in Pd crashes above this for 1-in/1-out models (§F)
DEFAULT_BUFFER = 8192
MAP_BUFFER = 2048  # latent2map / map2latent only follow the controls: a short buffer keeps them responsive


@dataclass(frozen=True)
class BankEntry:
    """One preset slot: a cleaned display name and control values by control key."""

    name: str
    values: Dict[str, float]
    label: str = ""


@dataclass(frozen=True)
class DeviceSpec:
    """Everything a layout needs. Rects are absolute presentation rects inside the strip."""

    model: DeviceModel
    definition: DeviceDefinition
    file_stem: str
    title: str
    buffer_max: int
    buffer_pd: int
    buffer_map: int
    latency_max: int
    latency_pd: int
    controls: Tuple[Tuple[Control, Rect], ...]
    timbre_keys: Tuple[str, ...]
    timbre_sources: Tuple[str, ...]
    map_rect: Optional[Rect]
    preset_rect: Optional[Rect]
    meters: Tuple[Rect, ...]
    section_titles: Tuple[Tuple[str, int], ...]
    width: int
    bank: Tuple[BankEntry, ...]
    notes: Tuple[str, ...]
    keyboard: Optional[Keyboard] = None  # rects made absolute (instruments only)
    test_tone_rect: Optional[Rect] = None

    def control(self, key: str) -> Optional[Control]:
        return next((c for c, _ in self.controls if c.key == key), None)

    @property
    def bank_name(self) -> str:
        """The pattrstorage name: the bank file (`after.device.artefacts.bank_file`) without `.json`."""
        return bank_file(self.model.path).removesuffix(".json")

    @property
    def map_picture(self) -> str:
        return map_file(self.model.path)


def _shift(rect: Rect, x: int) -> Rect:
    return (rect[0] + x, rect[1], rect[2], rect[3])


def _attribute_controls(model: DeviceModel, cell: Tuple[int, int], notes: List[str]) -> List[Control]:
    """Generic devices: one control per single-valued bool/int/float attribute, in a grid of 3 rows."""
    out: List[Control] = []
    for name, attr in model.attributes.items():
        if len(attr.types) != 1 or attr.types[0] not in ("bool", "int", "float"):
            notes.append(f"Attribute {name} ({' '.join(attr.types)}) has no control: only single bool/int/float "
                         f"values are supported.")
            continue
        n = len(out)
        rect = ((n // 3) * cell[0], 4 + (n % 3) * cell[1], cell[0] - 4, cell[1] - 6)
        value = float(attr.values[0]) if attr.values else 0.0
        known = ATTRIBUTE_BY_NAME.get(name)
        long_name = display_name(name.replace("_", " ").title(), 32)
        if attr.types[0] == "bool":
            control = Control(name, long_name, long_name[:8], "toggle", rect, 0, 1, value, True, "",
                              ("off", "on"), ("attribute", name))
        else:
            lo, hi = (known.minimum, known.maximum) if known else (min(value, 0.0) - 1000.0, max(value, 0.0) + 1000.0)
            integer = attr.types[0] == "int"
            control = Control(name, long_name, long_name[:8], "dial" if known else "numbox", rect, lo, hi, value,
                              integer, "int" if integer else "float", (), ("attribute", name))
        out.append(control)
    return out


def _buffers(model: DeviceModel, buffer: Optional[int], notes: List[str]) -> Tuple[int, int]:
    highest = model.highest_ratio
    if buffer is None:
        chunk = int(model.main.in_ratio) * 4
        buffer = max(DEFAULT_BUFFER if model.kind in ("audio", "midi") else 2048, highest, chunk)
    if buffer < 64 or buffer & (buffer - 1):
        raise InputError(f"--buffer {buffer}: nn~ buffers must be a power of two >= 64; try 2048, 4096 or 8192")
    if buffer < highest:
        raise InputError(f"--buffer {buffer}: smaller than the model's largest ratio {highest}; use at least {highest}")
    buffer_pd = buffer
    if model.main.in_channels == 1 and model.main.out_channels == 1 and buffer > PD_MAX_BUFFER_1IN_1OUT:
        buffer_pd = max(PD_MAX_BUFFER_1IN_1OUT, highest)
        notes.append(f"Pd patch uses buffer {buffer_pd} instead of {buffer}: nn~ in Pd crashes with larger "
                     f"buffers on 1-in/1-out models.")
    return buffer, buffer_pd


def _bank(model: DeviceModel, keys: set, timbre_keys: Tuple[str, ...], sources: Tuple[str, ...]) -> List[BankEntry]:
    bank: List[BankEntry] = []
    seen: set = set()
    for name, values in load_factory_presets(model.kind):
        bank.append(BankEntry(display_name(name), {k: v for k, v in values.items() if k in keys}))
        seen.add(bank[-1].name)
    for preset in model.presets:
        name = display_name(preset.name)
        base, n = name, 2
        while name in seen:
            name, n = display_name(f"{base[:40]} {n}"), n + 1
        seen.add(name)
        values = dict(zip(timbre_keys, preset.timbre))
        if "map_x" in keys:
            values.update(map_x=preset.map_xy[0], map_y=preset.map_xy[1])
        if "timbre_source" in keys:
            values["timbre_source"] = float(sources.index("Dials"))
        bank.append(BankEntry(name, values, display_name(preset.label) if preset.label else ""))
    return bank


def build_spec(model: DeviceModel, buffer: Optional[int] = None,
               definition: Optional[DeviceDefinition] = None) -> DeviceSpec:
    """Resolve `definition` (default: `devices/<kind>.yaml`) against `model`; drops controls the model cannot
    serve (an attribute it lacks, the map without map methods, the source switch with one source)."""
    definition = definition or load_definition(model.kind)
    notes: List[str] = list(model.notes)
    buffer_max, buffer_pd = _buffers(model, buffer, notes)
    available = {"Dials": True, "Sidechain": model.has_timbre_input, "Map": model.has_map}
    sources = tuple(s for s in definition.timbre_sources if available.get(s, False))
    controls: List[Tuple[Control, Rect]] = []
    timbre_keys: List[str] = []
    titles: List[Tuple[str, int]] = []
    meters: List[Rect] = []
    map_rect = preset_rect = test_tone_rect = None
    keyboard: Optional[Keyboard] = None
    x = 0
    for section in definition.sections:
        placed: List[Tuple[Control, Rect]] = []
        extra: List[Rect] = []
        for control in section.controls:
            kind, target = control.drives
            if kind == "attribute" and target not in model.attributes:
                notes.append(f"No {control.long_name} control: the model has no attribute {target}.")
                continue
            if kind == "timbre_source":
                if len(sources) < 2:
                    continue
                control = replace(control, items=sources, maximum=len(sources) - 1,
                                  default=float(sources.index("Dials")))
            placed.append((control, control.rect))
        if section.timbre and model.zt:
            t = section.timbre
            for i in range(model.zt):
                rect = ((i // t.rows) * t.cell[0], 4 + (i % t.rows) * t.cell[1], t.dial[0], t.dial[1])
                c = Control(f"timbre_{i + 1}", t.long_name.format(i=i + 1), t.short_name.format(i=i + 1), "dial",
                            rect, t.minimum, t.maximum, t.default, False, "float", (), ("timbre", str(i + 1)))
                placed.append((c, rect))
                timbre_keys.append(c.key)
        if section.map and model.has_map:
            placed += [(section.map.x, section.map.x.rect), (section.map.y, section.map.y.rect)]
            extra.append(section.map.rect)
            map_rect = _shift(section.map.rect, x)
        if section.attributes:
            taken = {c.long_name for c, _ in controls} | {c.long_name for s in definition.sections
                                                           for c in s.controls}
            for c in _attribute_controls(model, section.attributes, notes):
                if c.long_name in taken:
                    c = replace(c, long_name=f"{c.long_name} (model)")
                placed.append((c, c.rect))
        if section.presets:
            extra.append(section.presets)
            preset_rect = _shift(section.presets, x)
        if section.meter:
            extra.append(section.meter)
            meters.append(_shift(section.meter, x))
        if section.keyboard and model.kind == "midi" and model.n_poly:
            k = section.keyboard
            extra += [k.rect, k.demo]
            keyboard = replace(k, rect=_shift(k.rect, x), demo=_shift(k.demo, x))
        if section.test_tone and model.kind != "midi":
            extra.append(section.test_tone)
            test_tone_rect = _shift(section.test_tone, x)
        if not placed and not extra:
            continue
        titles.append((section.title, x))
        controls += [(c, _shift(r, x)) for c, r in placed]
        x += max(r[0] + r[2] for r in [r for _, r in placed] + extra) + SECTION_GAP
    for _, rect in controls:
        if rect[1] < 0 or rect[1] + rect[3] > STRIP_HEIGHT:
            raise ConfigError(f"devices/{definition.name}.yaml: a control at {rect} leaves the {STRIP_HEIGHT} px strip")
    keys = {c.key for c, _ in controls}
    long_names = [c.long_name for c, _ in controls]
    if len(keys) != len(controls) or len(set(long_names)) != len(long_names):
        raise ConfigError(f"devices/{definition.name}.yaml: control keys and long names must be unique "
                          f"(Live stores automation by long name)")
    pd_host = (PD_MAX_BUFFER_1IN_1OUT + buffer_pd - 64 if model.main.in_channels == 1 and model.main.out_channels == 1
               else 2 * buffer_pd - 64)
    return DeviceSpec(
        model=model, definition=definition, file_stem=safe_filename(model.name), title=display_name(model.name),
        buffer_max=buffer_max, buffer_pd=buffer_pd, buffer_map=max(MAP_BUFFER, model.highest_ratio),
        latency_max=model.latency_samples + 2 * buffer_max,
        latency_pd=model.latency_samples + pd_host, controls=tuple(controls), timbre_keys=tuple(timbre_keys),
        timbre_sources=sources if len(sources) >= 2 else (), map_rect=map_rect, preset_rect=preset_rect,
        meters=tuple(meters), section_titles=tuple(titles), width=max(x - SECTION_GAP, 1),
        bank=tuple(_bank(model, keys, tuple(timbre_keys), sources)) if preset_rect else (),
        notes=tuple(notes), keyboard=keyboard, test_tone_rect=test_tone_rect)
