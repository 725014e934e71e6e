"""`DIR/state.json`: which demo stages are finished, so an interrupted `after demo` resumes where it stopped.

Layout: `{"version": 1, "options": {...}, "stages": {"<stage>": {"seconds": float, "outputs": {key: path
relative to DIR}}}}`. A stage counts as finished only while every output it recorded still exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from after.errors import InputError
from after.io import write_json_atomic

STATE_VERSION = 1


class DemoState:
    """The finished stages of one demo folder; every change is written to disk at once (atomically)."""

    def __init__(self, out_dir: Path, options: dict[str, Any]) -> None:
        self.out_dir = out_dir
        self.path = out_dir / "state.json"
        self.options = options
        self.stages: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            version, options, stages = data["version"], data["options"], data["stages"]
        except (OSError, ValueError, KeyError, TypeError):
            raise InputError(f"{self.path}: unreadable demo state; rerun with --force to start over") from None
        if version != STATE_VERSION:
            raise InputError(f"{self.path}: demo state version {version} (this version writes {STATE_VERSION}); "
                             f"rerun with --force to start over")
        if options != self.options:
            changed = ", ".join(f"{k}={options.get(k)!r}" for k in sorted(self.options)
                                if options.get(k) != self.options[k])
            raise InputError(f"{self.out_dir}: the demo there was started with {changed}; rerun with the same "
                             f"options to resume it, or add --force to start over")
        self.stages = stages

    def is_done(self, stage: str) -> bool:
        record = self.stages.get(stage)
        return record is not None and all((self.out_dir / p).exists() for p in record["outputs"].values())

    def output(self, stage: str, key: str) -> Path:
        """Absolute path of output `key` recorded by finished `stage`."""
        return self.out_dir / self.stages[stage]["outputs"][key]

    def mark_done(self, stage: str, seconds: float, outputs: dict[str, Path]) -> None:
        relative = {key: str(Path(path).resolve().relative_to(self.out_dir.resolve())) for key, path in outputs.items()}
        self.stages[stage] = {"seconds": round(seconds, 2), "outputs": relative}
        self.save()

    def forget_from(self, stage_names: list[str]) -> None:
        """Drop the records of `stage_names` (stages after one that must run again)."""
        for name in stage_names:
            self.stages.pop(name, None)
        self.save()

    def save(self) -> None:
        write_json_atomic(self.path, {"version": STATE_VERSION, "options": self.options, "stages": self.stages})
