"""`after export` / `after export_midi` end to end: the nn~ `.ts` (`after.export.exporter.export_run`), then the
preset bank and the map picture every device of the model references, written beside it
(`after.device.build.write_model_artefacts`: `<model stem>_presets.json`, `<model stem>_map.png`).

The bank holds the factory settings and the model's presets keyed by the controls of the device the model
would get, which only the device kit knows; the export layer does not import the device kit, so the two steps
meet here, above both layers (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import List, Optional, Sequence

from after.device.build import write_model_artefacts
from after.export.exporter import DEFAULT_N_POLY, ExportResult, export_run
from after.export.presets import DEFAULT_N_PRESETS


@dataclass(frozen=True)
class ExportedModel(ExportResult):
    """An `ExportResult` plus the model's shared files: the preset bank, the map picture (None when the model
    carries none) and `notes` (old-name copies of them removed)."""

    presets_path: Path
    map_path: Optional[Path]
    notes: List[str]


def export_model(run_dir: str | Path, codec_path: str | Path, kind: str, db_paths: Sequence[str | Path] = (),
                 step: Optional[int] = None, name: Optional[str] = None, out_dir: Optional[str | Path] = None,
                 n_poly: int = DEFAULT_N_POLY, n_presets: int = DEFAULT_N_PRESETS) -> ExportedModel:
    """`export_run` (same arguments), then the bank and picture beside the `.ts`, one of each per model."""
    result = export_run(run_dir, codec_path, kind, db_paths, step=step, name=name, out_dir=out_dir, n_poly=n_poly,
                        n_presets=n_presets)
    presets_path, map_path, notes = write_model_artefacts(result.path)
    exported = {f.name: getattr(result, f.name) for f in fields(ExportResult)}
    return ExportedModel(**exported, presets_path=presets_path, map_path=map_path, notes=notes)
