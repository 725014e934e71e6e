"""Parsers: turn an input folder (and an optional MIDI folder) into the list of files to prepare.

A parser is a function `(audio_root, midi_root, exts, include, exclude) -> list[SourceFile]`. Built-ins are
registered by name; users add their own with `@register_parser("name")` in Python, or on the command line with
`--parser package.module:function` (imported on demand). See docs/DATA.md.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml

from after.errors import InputError

DEFAULT_EXTS = ("wav", "opus", "mp3", "aac", "flac", "aif", "aiff", "ogg")
MIDI_EXTS = (".mid", ".midi")
SLAKH_SKIPPED_CLASSES = ("Chromatic Percussion", "Drums", "Percussive", "Sound Effects")


@dataclass(frozen=True)
class SourceFile:
    """One input: an audio file, its MIDI file (None = no MIDI) and metadata stored with each chunk
    (`label` is used as the record label when present)."""

    audio: Path
    midi: Path | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


Parser = Callable[[Path, "Path | None", Sequence[str], Sequence[str], Sequence[str]], "list[SourceFile]"]
PARSERS: dict[str, Parser] = {}


def register_parser(name: str) -> Callable[[Parser], Parser]:
    """Decorator: make a parser available as `--parser <name>`."""

    def register(func: Parser) -> Parser:
        PARSERS[name] = func
        return func

    return register


def get_parser(name: str) -> Parser:
    """A registered parser, or `module.path:function` imported on demand."""
    if name in PARSERS:
        return PARSERS[name]
    if ":" in name:
        module_name, func_name = name.split(":", 1)
        try:
            func = getattr(importlib.import_module(module_name), func_name)
        except (ImportError, AttributeError) as exc:
            raise InputError(f"--parser {name}: cannot import it ({exc}); check the module is importable") from None
        if not callable(func):
            raise InputError(f"--parser {name}: not a function")
        return func
    raise InputError(f"unknown --parser '{name}'; valid parsers: {', '.join(sorted(PARSERS))} "
                     f"(or package.module:function)")


def matches_filters(path: Path, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Case-insensitive substring filters: keep a path that contains one of `include` (when given) and none
    of `exclude`."""
    text = str(path).lower()
    if include and not any(word.lower() in text for word in include):
        return False
    return not any(word.lower() in text for word in exclude)


def find_audio_files(root: Path, exts: Sequence[str], include: Sequence[str], exclude: Sequence[str]) -> list[Path]:
    """Audio files under `root` (recursive, sorted), filtered by extension and include/exclude; macOS
    resource folders/files are ignored."""
    suffixes = {"." + e.lower().lstrip(".") for e in exts}
    files = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in suffixes:
            continue
        if "__MACOSX" in path.parts or path.name.startswith("._"):
            continue
        if matches_filters(path.relative_to(root), include, exclude):
            files.append(path)
    return files


def _midi_for(stem_path: Path) -> Path | None:
    for suffix in MIDI_EXTS:
        if stem_path.with_suffix(suffix).is_file():
            return stem_path.with_suffix(suffix)
    return None


@register_parser("simple_audio")
def simple_audio(audio_root: Path, midi_root: Path | None, exts: Sequence[str], include: Sequence[str],
                 exclude: Sequence[str]) -> list[SourceFile]:
    """Every audio file under `audio_root`; no MIDI."""
    return [SourceFile(p) for p in find_audio_files(audio_root, exts, include, exclude)]


@register_parser("simple_midi")
def simple_midi(audio_root: Path, midi_root: Path | None, exts: Sequence[str], include: Sequence[str],
                exclude: Sequence[str]) -> list[SourceFile]:
    """Audio files with a MIDI file of the same relative path and stem (`.mid`/`.midi`) under `midi_root`
    (default: next to the audio). Audio files without MIDI are left out."""
    midi_root = midi_root or audio_root
    out = []
    for path in find_audio_files(audio_root, exts, include, exclude):
        midi = _midi_for(midi_root / path.relative_to(audio_root))
        if midi is not None:
            out.append(SourceFile(path, midi))
    return out


@register_parser("folder_midi")
def folder_midi(audio_root: Path, midi_root: Path | None, exts: Sequence[str], include: Sequence[str],
                exclude: Sequence[str]) -> list[SourceFile]:
    """`simple_midi`, each record labelled by its audio file's folder (one instrument per folder, as
    `DIR/<instrument>/<clip>.wav`): the timbre map and the preset bank are then named by instrument."""
    return [SourceFile(source.audio, source.midi, {"label": source.audio.parent.name})
            for source in simple_midi(audio_root, midi_root, exts, include, exclude)]


@register_parser("slakh")
def slakh(audio_root: Path, midi_root: Path | None, exts: Sequence[str], include: Sequence[str],
          exclude: Sequence[str]) -> list[SourceFile]:
    """Slakh2100 layout: `<track>/metadata.yaml`, stems in `<track>/stems/Sxx.<ext>`, MIDI in
    `<track>/MIDI/Sxx.mid`. Stems of drum, percussion and sound-effect classes are skipped; the instrument
    class becomes the record label. `midi_root` is unused (MIDI sits in each track)."""
    out = []
    for meta_path in sorted(audio_root.rglob("metadata.yaml")):
        track = meta_path.parent
        try:
            stems = (yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}).get("stems", {})
        except yaml.YAMLError:
            raise InputError(f"{meta_path}: not valid YAML; fix or remove the track") from None
        for stem_name, stem in sorted(stems.items()):
            inst_class = str(stem.get("inst_class", ""))
            if inst_class in SLAKH_SKIPPED_CLASSES or stem.get("is_drum"):
                continue
            audio = next((track / "stems" / f"{stem_name}.{e}" for e in exts
                          if (track / "stems" / f"{stem_name}.{e}").is_file()), None)
            midi = _midi_for(track / "MIDI" / stem_name)
            if audio is None or midi is None or not matches_filters(audio.relative_to(audio_root), include, exclude):
                continue
            out.append(SourceFile(audio, midi, {"label": inst_class, "instrument": inst_class,
                                                "program": stem.get("program_num"), "track": track.name}))
    return out
