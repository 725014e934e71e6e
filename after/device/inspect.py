"""Read a device or patch back (`.amxd`, `.maxpat`, `.pd`): parameters, nn~ objects and wiring.

`read_patch` returns a format-neutral `PatchSummary` used by `after-device inspect` and the validators.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from after.device.amxd import read_amxd
from after.errors import InputError

_PD_RECORD_END = re.compile(r"(?<!\\);[ \t]*\r?\n")
_PD_ATOM_SPLIT = re.compile(r"(?<!\\)\s+")


@dataclass(frozen=True)
class BoxInfo:
    id: str
    cls: str
    text: str
    inlets: Optional[int]
    outlets: Optional[int]
    presentation: Optional[List[float]] = None


@dataclass(frozen=True)
class Parameter:
    id: str
    long_name: str
    short_name: str
    type: int
    minimum: float
    maximum: float
    initial: Optional[float]


@dataclass(frozen=True)
class NNObject:
    id: str
    model: str
    method: str
    buffer: Optional[int]
    inlets: Optional[int]
    outlets: Optional[int]


@dataclass(frozen=True)
class Connection:
    source: str
    outlet: int
    destination: str
    inlet: int


@dataclass
class PatchSummary:
    path: str
    format: str
    device_type: Optional[str] = None
    amxdtype: Optional[int] = None
    boxes: List[BoxInfo] = field(default_factory=list)
    parameters: List[Parameter] = field(default_factory=list)
    nn_objects: List[NNObject] = field(default_factory=list)
    connections: List[Connection] = field(default_factory=list)
    latency: Optional[int] = None
    declare_paths: List[str] = field(default_factory=list)
    duplicate_ids: List[str] = field(default_factory=list)

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


def max_atoms(text: str) -> List[str]:
    """Split a Max box text into atoms (double-quoted atoms keep their spaces)."""
    return [a[1:-1].replace('\\"', '"').replace("\\\\", "\\") if a.startswith('"') else a
            for a in re.findall(r'"(?:\\.|[^"\\])*"|\S+', text)]


def pd_atoms(text: str) -> List[str]:
    return [a for a in _PD_ATOM_SPLIT.split(text.strip()) if a]


def pd_unescape(atom: str) -> str:
    return re.sub(r"\\(.)", r"\1", atom)


def _nn(box_id: str, atoms: List[str], inlets: Optional[int], outlets: Optional[int], pd: bool) -> NNObject:
    args = [a for a in atoms[1:] if not (pd and a.startswith("-") and len(a) <= 4)]
    model = pd_unescape(args[0]) if pd and args else (args[0] if args else "")
    method = args[1] if len(args) > 1 else "forward"
    buffer = int(args[2]) if len(args) > 2 and re.fullmatch(r"-?\d+", args[2]) else None
    return NNObject(box_id, model, method, buffer, inlets, outlets)


def _read_max(path: Path, doc: Dict[str, Any], fmt: str) -> PatchSummary:
    summary = PatchSummary(str(path), fmt)
    patcher = doc.get("patcher", {})
    seen: set = set()
    for entry in patcher.get("boxes", []):
        box = entry.get("box", {})
        box_id = str(box.get("id", ""))
        if box_id in seen:
            summary.duplicate_ids.append(box_id)
        seen.add(box_id)
        text = str(box.get("text", ""))
        summary.boxes.append(BoxInfo(box_id, str(box.get("maxclass", "")), text, box.get("numinlets"),
                                     box.get("numoutlets"), box.get("presentation_rect") if box.get("presentation")
                                     else None))
        atoms = max_atoms(text)
        if atoms and atoms[0] in ("nn~", "mc.nn~", "mcs.nn~"):
            summary.nn_objects.append(_nn(box_id, atoms, box.get("numinlets"), box.get("numoutlets"), False))
        if box.get("maxclass") == "message" and len(atoms) == 2 and atoms[0] == "latency" and atoms[1].isdigit():
            summary.latency = int(atoms[1])
        if box.get("parameter_enable"):
            v = box.get("saved_attribute_attributes", {}).get("valueof", {})
            initial = v.get("parameter_initial")
            summary.parameters.append(Parameter(
                box_id, str(v.get("parameter_longname", "")), str(v.get("parameter_shortname", "")),
                int(v.get("parameter_type", 0)), float(v.get("parameter_mmin", 0.0)),
                float(v.get("parameter_mmax", 127.0)), float(initial[0]) if initial else None))
    for entry in patcher.get("lines", []):
        line = entry.get("patchline", {})
        src, dst = line.get("source", ["", 0]), line.get("destination", ["", 0])
        summary.connections.append(Connection(str(src[0]), int(src[1]), str(dst[0]), int(dst[1])))
    summary.amxdtype = patcher.get("project", {}).get("amxdtype")
    return summary


def _pd_parameter(box_id: str, atoms: List[str]) -> Optional[Parameter]:
    """The control of a Pd GUI box (hsl/vsl: range and initial value from the knob position; labelled tgl;
    hradio)."""
    try:
        if atoms[0] in ("hsl", "vsl"):
            lo, hi, width = float(atoms[3]), float(atoms[4]), int(atoms[1] if atoms[0] == "hsl" else atoms[2])
            initial = lo + float(atoms[17]) / 100.0 / max(width - 1, 1) * (hi - lo)
            return Parameter(box_id, atoms[9], atoms[9], 0, lo, hi, round(initial, 3))
        if atoms[0] == "tgl":
            if atoms[5] == "empty":  # an unlabelled toggle (keyboard key, demo, test tone) is not a control
                return None
            return Parameter(box_id, atoms[5], atoms[5], 2, 0.0, 1.0, float(atoms[13]))
        if atoms[0] in ("hradio", "vradio"):
            return Parameter(box_id, atoms[7], atoms[7], 2, 0.0, float(int(atoms[4]) - 1), float(atoms[15]))
    except (IndexError, ValueError):
        return None
    return None


def _read_pd(path: Path, text: str) -> PatchSummary:
    summary = PatchSummary(str(path), "pd")
    if not text.startswith("#N canvas"):
        raise InputError(f"{path}: not a Pd patch (does not start with '#N canvas'); give a .pd file")
    depth = 0
    index = 0
    for record in _PD_RECORD_END.split(text):
        atoms = pd_atoms(record)
        if len(atoms) < 2:
            continue
        if atoms[0] == "#N" and atoms[1] == "canvas":
            depth += 1
            continue
        if atoms[0] != "#X":
            continue
        kind = atoms[1]
        if kind == "restore":
            depth -= 1
            if depth == 1:
                summary.boxes.append(BoxInfo(str(index), "obj", " ".join(atoms[4:]), None, None))
                index += 1
            continue
        if depth != 1:
            continue
        if kind == "connect" and len(atoms) >= 6:
            summary.connections.append(Connection(atoms[2], int(atoms[3]), atoms[4], int(atoms[5])))
        elif kind == "declare":
            flags, values = atoms[2::2], atoms[3::2]
            summary.declare_paths += [pd_unescape(v) for f, v in zip(flags, values) if f == "-path"]
        elif kind in ("obj", "msg", "text", "floatatom", "symbolatom", "listbox"):
            body = atoms[4:]
            box_id = str(index)
            summary.boxes.append(BoxInfo(box_id, kind, " ".join(body), None, None))
            if kind == "obj" and body:
                if body[0] == "nn~":
                    summary.nn_objects.append(_nn(box_id, body, None, None, True))
                parameter = _pd_parameter(box_id, body)
                if parameter:
                    summary.parameters.append(parameter)
            index += 1
    return summary


def read_patch(path: str | Path) -> PatchSummary:
    """Parse `.amxd`, `.maxpat` or `.pd` into a `PatchSummary`; one-line `InputError` if unreadable."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found; give an .amxd, .maxpat or .pd file")
    suffix = path.suffix.lower()
    if suffix == ".amxd":
        device = read_amxd(path)
        summary = _read_max(path, device.patcher, "amxd")
        summary.device_type = device.device_type
        return summary
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as UTF-8 text ({exc}); give an .amxd, .maxpat or .pd file") from None
    if suffix == ".maxpat":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}); re-save it in Max") from None
        if not isinstance(doc, dict) or "patcher" not in doc:
            raise InputError(f"{path}: no 'patcher' object; not a Max patch")
        return _read_max(path, doc, "maxpat")
    if suffix == ".pd":
        return _read_pd(path, text)
    raise InputError(f"{path}: unknown file type {suffix!r}; give an .amxd, .maxpat or .pd file")


def describe(summary: PatchSummary) -> str:
    """Human-readable text of `inspect`."""
    lines = [f"{summary.path} ({summary.format}" + (f", device type {summary.device_type}" if summary.device_type
                                                    else "") + ")"]
    lines.append(f"parameters ({len(summary.parameters)}):")
    for p in summary.parameters:
        initial = "" if p.initial is None else f", initial {p.initial:g}"
        lines.append(f"  [{p.id}] {p.long_name} ({p.short_name}): {p.minimum:g} .. {p.maximum:g}{initial}")
    lines.append(f"nn~ objects ({len(summary.nn_objects)}):")
    for n in summary.nn_objects:
        lines.append(f"  [{n.id}] {n.model} {n.method} buffer {n.buffer}")
    if summary.latency is not None:
        lines.append(f"reported latency: {summary.latency} samples")
    texts: Dict[str, str] = {b.id: (b.text or b.cls) for b in summary.boxes}
    texts.update({p.id: f"{texts.get(p.id, '')[:24]} '{p.long_name}'" for p in summary.parameters})
    lines.append(f"connections ({len(summary.connections)}):")
    for c in summary.connections:
        lines.append(f"  [{c.source}] {texts.get(c.source, '?')[:40]} :{c.outlet} -> "
                     f"[{c.destination}] {texts.get(c.destination, '?')[:40]} :{c.inlet}")
    return "\n".join(lines)


def wiring(summary: PatchSummary) -> List[Tuple[str, int, str, int]]:
    return sorted((c.source, c.outlet, c.destination, c.inlet) for c in summary.connections)
