"""The boxes of one host's patch, as its file will hold them: host object text, true inlet/outlet counts,
positions, and the lines between them.

The host writers (`after.device.hosts`) turn the neutral `PatchGraph` into one `Patch` per format; the Jinja
templates serialise it as `.maxpat` JSON or `.pd` text. Box ids are indices into `Patch.boxes` (Max writes
them as `obj-<index+1>`, Pd counts boxes in file order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

Rect = Tuple[int, int, int, int]


@dataclass(frozen=True)
class LiveParameter:
    """A Live parameter declared on a Max UI box (`NN_TILDE_AND_FORMATS.md` §D3)."""

    long_name: str
    short_name: str
    type: int  # 0 float, 1 int, 2 enum
    minimum: float
    maximum: float
    initial: float
    unitstyle: int
    enum: Tuple[str, ...] = ()


@dataclass
class Box:
    """One box. `cls` is the Max maxclass ("newobj", "message", "comment", "live.dial" ...) or the Pd record
    kind ("obj", "msg", "text"); `text` is the box text (Max) or everything after the position (Pd)."""

    index: int
    cls: str
    text: str
    inlets: int
    outlets: int
    outlettype: List[str]
    position: Tuple[int, int]
    size: Tuple[int, int] = (0, 0)
    presentation: Optional[Rect] = None
    varname: Optional[str] = None
    parameter: Optional[LiveParameter] = None
    attrs: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    source: int
    outlet: int
    destination: int
    inlet: int


@dataclass
class Patch:
    boxes: List[Box] = field(default_factory=list)
    lines: List[Line] = field(default_factory=list)

    def add(self, cls: str, text: str, inlets: int, outlets: int, outlettype: Optional[List[str]] = None,
            position: Tuple[int, int] = (0, 0), **kwargs: Any) -> Box:
        box = Box(len(self.boxes), cls, text, inlets, outlets,
                  list(outlettype if outlettype is not None else [""] * outlets), position, **kwargs)
        self.boxes.append(box)
        return box

    def connect(self, source: Box, outlet: int, destination: Box, inlet: int) -> None:
        if not (0 <= outlet < source.outlets and 0 <= inlet < destination.inlets):
            raise ValueError(f"bad connection {source.text!r}:{outlet} -> {destination.text!r}:{inlet}")
        self.lines.append(Line(source.index, outlet, destination.index, inlet))
