"""The two files every device of a model shares: its preset bank and its map picture.

They are named after the model file, once per folder: `<model stem>_presets.json` (the Max `pattrstorage`
bank: factory settings + the model's training-set timbres, keyed by control key) and `<model stem>_map.png`.
`after export` writes them beside the `.ts`; `after-device build` references them: it reads the bank it finds
(in the output folder, else beside the model) for its preset menus, copies the files into the output folder
when it is another one, and writes them from the model's metadata only where none exist. Files under the old
names (`<model stem>.presets.json` / `<model stem>.png` of the export, `<device name>_presets.json` /
`<device name>_map.png` of the build) are removed with a message once the new ones are in place, and only when
their content shows they are ours.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from after.device.names import safe_filename


def artefact_stem(model_path: str | Path) -> str:
    return safe_filename(Path(model_path).name.removesuffix(".ts"))


def bank_file(model_path: str | Path) -> str:
    """`<model stem>_presets.json`: the preset bank file name (Max reads it as `pattrstorage <stem>_presets`)."""
    return f"{artefact_stem(model_path)}_presets.json"


def map_file(model_path: str | Path) -> str:
    """`<model stem>_map.png`: the map picture file name."""
    return f"{artefact_stem(model_path)}_map.png"


def bank_json(bank_name: str, entries) -> Dict[str, object]:
    """The pattrstorage document of `entries` (`BankEntry` list): one slot per entry, values by control key."""
    slots = {str(i + 1): {"id": i + 1, "name": entry.name, "data": {k: [v] for k, v in entry.values.items()}}
             for i, entry in enumerate(entries)}
    return {"pattrstorage": {"name": bank_name, "slots": slots}}


def bank_bytes(bank_name: str, entries) -> bytes:
    return (json.dumps(bank_json(bank_name, entries), indent="\t", ensure_ascii=False) + "\n").encode("utf-8")


def read_bank(path: Path) -> Optional[List[Tuple[str, Dict[str, float]]]]:
    """[(slot name, {control key: value})] of a pattrstorage bank in slot order; None if `path` is not one."""
    try:
        slots = json.loads(path.read_text(encoding="utf-8"))["pattrstorage"]["slots"]
        out = []
        for key in sorted(slots, key=int):
            slot = slots[key]
            values = {str(k): float(v[0] if isinstance(v, list) else v) for k, v in slot.get("data", {}).items()}
            out.append((str(slot.get("name", f"Preset {key}")), values))
        return out
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _is_old_export_bank(path: Path, model_name: str) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return isinstance(data, dict) and data.get("model") == model_name and "presets" in data
    except (OSError, ValueError):
        return False


def _is_old_device_bank(path: Path) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["pattrstorage"]["name"] == path.name.removesuffix(".json")
    except (OSError, ValueError, KeyError, TypeError):
        return False


def migrate_old_names(model_path: Path, folder: Path, map_image: Optional[bytes],
                      device_stem: Optional[str] = None) -> List[str]:
    """Remove the old-name copies of the bank and the picture in `folder` once the new names exist there;
    returns one message per file removed. A file is removed only if its content shows it is ours."""
    model_path = Path(model_path)
    stem = model_path.name.removesuffix(".ts")
    new_bank, new_map = folder / bank_file(model_path), folder / map_file(model_path)
    candidates: List[Tuple[Path, Path, bool]] = []
    old_bank, old_map = folder / f"{stem}.presets.json", folder / f"{stem}.png"
    candidates.append((old_bank, new_bank, _is_old_export_bank(old_bank, model_path.name)))
    candidates.append((old_map, new_map, old_map.is_file() and map_image is not None
                       and old_map.read_bytes() == map_image))
    if device_stem and device_stem != artefact_stem(model_path):
        device_bank, device_map = folder / f"{device_stem}_presets.json", folder / f"{device_stem}_map.png"
        candidates.append((device_bank, new_bank, _is_old_device_bank(device_bank)))
        candidates.append((device_map, new_map, device_map.is_file() and map_image is not None
                           and device_map.read_bytes() == map_image))
    messages = []
    for old, new, ours in candidates:
        if ours and old.is_file() and new.is_file():
            old.unlink()
            messages.append(f"removed {old}: the same file is now {new.name} (one file per artefact)")
    return messages
