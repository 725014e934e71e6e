"""The `.amxd` container (`NN_TILDE_AND_FORMATS.md` §C).

Writing: the plain (unfrozen) layout Max 9 saves — `ampf` u32 4 <type>, `meta` u32 4 u32 1, `ptch` u32 N,
then N bytes of UTF-8 patcher JSON ending in "\\n" and one NUL; sizes little-endian, nothing after.
Reading: the same chunk loop as Ableton's maxdevtools (tag + u32 LE size + payload), plus frozen devices whose
`ptch` payload is an `mx@c` bundle with a `dlst`/`dire` directory (big-endian), and py2max's variant.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from after.errors import InputError

DEVICE_TYPES = {"aaaa": "audio effect", "iiii": "instrument", "mmmm": "MIDI effect", "nagg": "MIDI generator",
                "natt": "MIDI transformation"}
META_UNFROZEN = 1


@dataclass(frozen=True)
class AmxdFile:
    """A parsed device: type FourCC, `meta` value, the patcher JSON, and the bundled file names if frozen."""

    device_type: str
    meta: Optional[int]
    patcher: Dict[str, Any]
    frozen: bool = False
    bundled_files: List[str] = field(default_factory=list)


def amxd_bytes(device_type: str, patcher_json: str) -> bytes:
    """The bytes of a plain `.amxd` holding `patcher_json` (a `{"patcher": ...}` document)."""
    if device_type not in DEVICE_TYPES:
        raise ValueError(f"unknown device type {device_type!r}")
    payload = patcher_json.rstrip("\n").encode("utf-8") + b"\n\x00"
    return (b"ampf" + struct.pack("<I", 4) + device_type.encode("ascii")
            + b"meta" + struct.pack("<II", 4, META_UNFROZEN)
            + b"ptch" + struct.pack("<I", len(payload)) + payload)


def _chunks(data: bytes, path: Path) -> List[Tuple[str, bytes]]:
    chunks: List[Tuple[str, bytes]] = []
    offset = 0
    while offset < len(data):
        if offset + 8 > len(data):
            raise InputError(f"{path}: truncated .amxd (chunk header at byte {offset}); re-save the device in Max")
        tag = data[offset:offset + 4].decode("latin-1")
        size = struct.unpack("<I", data[offset + 4:offset + 8])[0]
        if tag == "ptch" and offset + 8 + size > len(data):
            raise InputError(f"{path}: truncated .amxd (ptch wants {size} bytes); re-save the device in Max")
        chunks.append((tag, data[offset + 8:offset + 8 + size]))
        offset += 8 + size
    return chunks


def _directory(payload: bytes) -> List[Dict[str, Any]]:
    """Entries of the `dlst` footer of a frozen bundle: [{type, fnam, sz32, of32, flag}]."""
    start = payload.rfind(b"dlst")
    if start < 0:
        return []
    end = start + struct.unpack(">I", payload[start + 4:start + 8])[0]
    entries: List[Dict[str, Any]] = []
    pos = start + 8
    while pos + 8 <= min(end, len(payload)) and payload[pos:pos + 4] == b"dire":
        dire_end = pos + struct.unpack(">I", payload[pos + 4:pos + 8])[0]
        entry: Dict[str, Any] = {}
        sub = pos + 8
        while sub + 8 <= dire_end:
            tag = payload[sub:sub + 4].decode("latin-1")
            size = struct.unpack(">I", payload[sub + 4:sub + 8])[0]
            body = payload[sub + 8:sub + size]
            if tag in ("type", "fnam"):
                entry[tag] = body.rstrip(b"\x00").decode("utf-8", "replace").strip()
            elif len(body) == 4:
                entry[tag] = struct.unpack(">I", body)[0]
            sub += max(size, 8)
        entries.append(entry)
        pos = max(dire_end, pos + 8)
    return entries


def _first_json(blob: bytes) -> Optional[Dict[str, Any]]:
    start = blob.find(b'{')
    while start >= 0:
        try:
            doc, _ = json.JSONDecoder().raw_decode(blob[start:].decode("utf-8", "replace"))
            if isinstance(doc, dict) and "patcher" in doc:
                return doc
        except ValueError:
            pass
        start = blob.find(b'{', start + 1)
    return None


def read_amxd(path: str | Path) -> AmxdFile:
    """Parse an `.amxd` (plain, frozen, or py2max-written); one-line `InputError` on anything else."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror}); give the path of an .amxd device") from None
    if data[:4] != b"ampf":
        raise InputError(f"{path}: not a Max for Live device (no 'ampf' header); give an .amxd file")
    chunks = _chunks(data, path)
    device_type = chunks[0][1][:4].decode("latin-1")
    meta = next((struct.unpack("<I", body[:4])[0] for tag, body in chunks if tag == "meta" and len(body) >= 4), None)
    if any(tag == "ciph" for tag, _ in chunks):
        raise InputError(f"{path}: encrypted device; its patch cannot be read")
    ptch = next((body for tag, body in chunks if tag == "ptch"), None)
    if ptch is None:
        raise InputError(f"{path}: no 'ptch' chunk; re-save the device in Max")
    bundled: List[str] = []
    frozen = ptch[:4] == b"mx@c"
    if frozen:
        entries = _directory(ptch)
        bundled = [e.get("fnam", "") for e in entries]
        doc = None
        for e in entries:
            if "of32" in e and "sz32" in e and e.get("type") in ("JSON", "TEXT", None):
                doc = _first_json(ptch[e["of32"]:e["of32"] + e["sz32"]])
                if doc:
                    break
        doc = doc or _first_json(ptch[8:])
    else:
        try:
            doc = json.loads(ptch.rstrip(b"\x00").decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            doc = None
    if not doc or "patcher" not in doc:
        raise InputError(f"{path}: the device's patcher JSON is unreadable; re-save the device in Max")
    return AmxdFile(device_type, meta, doc, frozen, bundled)
