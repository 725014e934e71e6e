"""Validators for generated (or hand-edited) devices and patches: `after-device validate`.

Checks: unique box ids; every connection within the real inlet/outlet counts (nn~ counts from the model's
`<method>_params` when a model is given: Max nn~ has in/out channels, Pd nn~ one more info outlet); explicit
nn~ buffers, powers of two, >= the model's largest ratio, <= 4096 for 1-in/1-out models in Pd; unique Live
long names; presentation inside the 169 px strip; the `.amxd` type and `amxdtype`; Pd bool attributes sent as
`false`/`true` symbols, never numbers.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from after.device.amxd import DEVICE_TYPES
from after.device.inspect import BoxInfo, PatchSummary, pd_atoms
from after.device.render import amxd_type_code
from after.device.spec import PD_MAX_BUFFER_1IN_1OUT, STRIP_HEIGHT
from after.nn_tilde.host import ModelInfo

_NUMBER = re.compile(r"-?\d+(\.\d*)?(e-?\d+)?$")


def pd_counts(atoms: List[str]) -> Optional[Tuple[int, int]]:
    """(inlets, outlets) of the Pd vanilla objects the kit writes; None for anything else."""
    if not atoms:
        return None
    name, n = atoms[0], len(atoms) - 1
    fixed = {"adc~": (1, 2), "dac~": (2, 0), "sig~": (1, 1), "snapshot~": (1, 1), "env~": (1, 1), "dbtorms": (1, 1),
             "openpanel": (1, 1), "loadbang": (1, 1), "metro": (2, 1), "spigot": (2, 1), "notein": (0, 3),
             "poly": (2, 3), "declare": (0, 0), "vu": (2, 2), "hsl": (1, 1), "vsl": (1, 1), "tgl": (1, 1),
             "hradio": (1, 1), "vradio": (1, 1), "bng": (1, 1), "print": (1, 0), "readsf~": (1, 2),
             "r": (0, 1), "receive": (0, 1), "s": (1, 0), "send": (1, 0), "f": (2, 1), "float": (2, 1),
             "mod": (2, 1), "osc~": (2, 1)}
    if name in fixed:
        if name == "readsf~" and n:
            return 1, int(float(atoms[1])) + 1
        return fixed[name]
    if name in ("*~", "+~", "-~", "/~", "+", "-", "*", "/"):
        return 2, 1
    if name in ("pack", "unpack"):
        count = max(n, 2)
        return (count, 1) if name == "pack" else (1, count)
    if name in ("route", "sel", "select"):
        return (2 if n <= 1 else 1), max(n, 1) + 1
    if name in ("t", "trigger"):
        return 1, max(n, 2)
    return None


def _box_counts(box: BoxInfo, pd: bool) -> Tuple[Optional[int], Optional[int]]:
    """Max: the saved counts. Pd: known vanilla objects; message boxes 1/1; comments 0/0; else unknown."""
    if not pd:
        return box.inlets, box.outlets
    if box.cls == "obj":
        return pd_counts(pd_atoms(box.text)) or (None, None)
    return (1, 1) if box.cls == "msg" else (0, 0)


def _connection_problems(summary: PatchSummary, counts: Dict[str, Tuple[Optional[int], Optional[int]]]) -> List[str]:
    problems = []
    for c in summary.connections:
        label = f"connection {c.source}:{c.outlet} -> {c.destination}:{c.inlet}"
        if c.source not in counts or c.destination not in counts:
            problems.append(f"{label}: no such box")
            continue
        outlets, inlets = counts[c.source][1], counts[c.destination][0]
        if outlets is not None and not 0 <= c.outlet < outlets:
            problems.append(f"{label}: outlet {c.outlet} out of range (box has {outlets})")
        if inlets is not None and not 0 <= c.inlet < inlets:
            problems.append(f"{label}: inlet {c.inlet} out of range (box has {inlets})")
    return problems


def _nn_problems(summary: PatchSummary, model: Optional[ModelInfo], pd: bool,
                 counts: Dict[str, Tuple[Optional[int], Optional[int]]]) -> List[str]:
    problems = []
    for nn in summary.nn_objects:
        where = f"nn~ [{nn.id}] {nn.method}"
        if nn.buffer is None:
            problems.append(f"{where}: no explicit buffer size (Max then uses the largest ratio, 1 for ratio-1 "
                            f"models, and disables itself)")
            continue
        if nn.buffer <= 0 or nn.buffer & (nn.buffer - 1):
            problems.append(f"{where}: buffer {nn.buffer} is not a power of two")
        if model is None:
            continue
        method = model.methods.get(nn.method)
        if method is None:
            problems.append(f"{where}: the model has no method {nn.method}")
            continue
        if nn.buffer < model.highest_ratio:
            problems.append(f"{where}: buffer {nn.buffer} is below the model's largest ratio {model.highest_ratio}")
        if pd and method.in_channels == 1 and method.out_channels == 1 and nn.buffer > PD_MAX_BUFFER_1IN_1OUT:
            problems.append(f"{where}: buffer {nn.buffer} > {PD_MAX_BUFFER_1IN_1OUT} on a 1-in/1-out model "
                            f"crashes Pd's nn~")
        expected = (max(1, method.in_channels), method.out_channels + (1 if pd else 0))
        if not pd and (nn.inlets, nn.outlets) != expected:
            problems.append(f"{where}: saved {nn.inlets} inlets/{nn.outlets} outlets, the model gives "
                            f"{expected[0]}/{expected[1]}")
        counts[nn.id] = expected
    return problems


def _pd_bool_problems(summary: PatchSummary, model: Optional[ModelInfo]) -> List[str]:
    """`set <bool attribute> <number or $1>` in Pd: Pd sends floats as "0.000000", which nn~ reads as true."""
    bools = {n for n, a in (model.attributes.items() if model else []) if "bool" in a.types}
    sources: Dict[str, List[str]] = {}
    for c in summary.connections:
        sources.setdefault(c.destination, []).append(c.source)
    texts = {b.id: b for b in summary.boxes}
    problems = []
    for box in summary.boxes:
        atoms = pd_atoms(box.text)
        if box.cls != "msg" or len(atoms) < 3 or atoms[0] != "set":
            continue
        values = atoms[2:]
        numeric = any(_NUMBER.match(v) or v.startswith("\\$") for v in values)
        fed_by_toggle = any(texts[s].text.startswith("tgl ") for s in sources.get(box.id, []) if s in texts)
        if numeric and (atoms[1] in bools or fed_by_toggle):
            problems.append(f"message [{box.id}] '{box.text}': bool attribute {atoms[1]} sent as a number; Pd sends "
                            f"'0.000000', which nn~ reads as true: send the symbols false/true")
    return problems


def validate_patch(summary: PatchSummary, model: Optional[ModelInfo] = None) -> List[str]:
    """Every problem found in `summary` (empty list = valid)."""
    pd = summary.format == "pd"
    problems = [f"duplicate box id {i}" for i in summary.duplicate_ids]
    counts = {box.id: _box_counts(box, pd) for box in summary.boxes}
    problems += _nn_problems(summary, model, pd, counts)
    problems += _connection_problems(summary, counts)
    if not summary.nn_objects:
        problems.append("no nn~ object")
    if pd:
        problems += _pd_bool_problems(summary, model)
        return problems
    names: Dict[str, str] = {}
    for p in summary.parameters:
        if not p.long_name:
            problems.append(f"parameter [{p.id}]: empty long name")
        elif p.long_name in names:
            problems.append(f"parameter [{p.id}]: long name {p.long_name!r} already used by [{names[p.long_name]}]; "
                            f"Live stores values and automation by long name")
        names.setdefault(p.long_name, p.id)
    if summary.format == "amxd":
        if summary.device_type not in DEVICE_TYPES:
            problems.append(f"device type {summary.device_type!r} unknown")
        elif summary.amxdtype != amxd_type_code(summary.device_type):
            problems.append(f"project.amxdtype {summary.amxdtype} does not match device type {summary.device_type} "
                            f"({amxd_type_code(summary.device_type)})")
        for box in summary.boxes:
            r = box.presentation
            if r and (r[1] < 0 or r[0] < 0 or r[1] + r[3] > STRIP_HEIGHT):
                problems.append(f"box [{box.id}] {box.cls}: presentation {r} leaves the {STRIP_HEIGHT} px device strip")
    return problems
