"""One config system: frozen dataclasses + YAML presets + `--set a.b=value` overrides.

Each component declares its config as a frozen dataclass (nested dataclasses allowed). Presets are YAML
files in `after/configs/` (or any path to a `.yaml` file) holding a partial nested mapping; they are merged in
the order given (`--config base --config tiny`), then `--set` overrides apply, then the result is checked
against the dataclass: unknown keys and ill-typed values raise `ConfigError` naming the valid keys.
Per-class semantic checks live in each dataclass's `__post_init__` (raise `ValueError`; it is re-raised as a
`ConfigError`).

    cfg = load_config(DiffusionConfig, ["base", "tiny"], ["train.max_steps=1000"])
    save_config(cfg, run_dir / "config.yaml")
"""

from __future__ import annotations

import dataclasses
import types
import typing
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, Sequence, TypeVar

import yaml

from after.errors import ConfigError

T = TypeVar("T")

PRESET_PACKAGE = "after"
PRESET_FOLDER = "configs"


def available_presets() -> list[str]:
    """Names of the presets shipped with the package (file stems of `after/configs/*.yaml`)."""
    folder = resources.files(PRESET_PACKAGE).joinpath(PRESET_FOLDER)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def read_preset(name: str) -> dict[str, Any]:
    """Return the mapping of a preset given by name (`base`) or by path to a YAML file."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        stem = name[:-5] if name.endswith(".yaml") else name
        res = resources.files(PRESET_PACKAGE).joinpath(PRESET_FOLDER, f"{stem}.yaml")
        if not res.is_file():
            raise ConfigError(f"unknown config preset '{name}'; valid presets: {', '.join(available_presets())} "
                              f"(or a path to a .yaml file)")
        text = res.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"config preset '{name}' is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config preset '{name}' must be a mapping of keys to values")
    data.pop("description", None)
    return data


def preset_description(name: str) -> str:
    """The `description:` line of a shipped preset (used by `--help` and the docs)."""
    res = resources.files(PRESET_PACKAGE).joinpath(PRESET_FOLDER, f"{name}.yaml")
    data = yaml.safe_load(res.read_text(encoding="utf-8")) or {}
    return str(data.get("description", ""))


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Recursively merge `over` onto `base` (mappings merge, everything else replaces)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def parse_override(item: str) -> dict[str, Any]:
    """`"a.b=3"` → `{"a": {"b": 3}}`; the value is parsed as YAML (numbers, bools, lists, null)."""
    if "=" not in item:
        raise ConfigError(f"bad override '{item}': expected key.path=value, e.g. train.max_steps=1000")
    key, raw = item.split("=", 1)
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    out: dict[str, Any] = {}
    node = out
    parts = key.strip().split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return out


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _coerce(value: Any, tp: Any, where: str) -> Any:
    """Check/convert one YAML value against a type annotation."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(value, arg, where)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"{where}: bad value {value!r}")
    if origin is typing.Literal:
        if value not in args:
            raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(repr, args))}")
        return value
    if origin in (list, tuple, Sequence) or tp in (list, tuple):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(value):
                raise ConfigError(f"{where}: expected {len(args)} items, got {len(value)}")
            return tuple(_coerce(v, a, f"{where}[{i}]") for i, (v, a) in enumerate(zip(value, args)))
        item_tp = args[0] if args else Any
        return tuple(_coerce(v, item_tp, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if isinstance(value, tp):
            return value
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: expected a mapping of {_type_name(tp)} fields, got {value!r}")
        return _build(tp, value, where)
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true/false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    return value


def _build(cls: type[T], data: Mapping[str, Any], where: str = "") -> T:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(typing.cast(Any, cls)) if f.init}  # `cls`: a dataclass
    unknown = sorted(set(data) - set(fields))
    if unknown:
        prefix = f"{where}." if where else ""
        raise ConfigError(f"unknown config key '{prefix}{unknown[0]}'; valid keys{' of ' + where if where else ''}: "
                          f"{', '.join(sorted(fields))}")
    kwargs = {}
    for name, value in data.items():
        kwargs[name] = _coerce(value, hints[name], f"{where}.{name}" if where else name)
    # Nested dataclass fields not mentioned keep their defaults.
    try:
        return cls(**kwargs)
    except ValueError as exc:
        raise ConfigError(f"invalid config{' ' + where if where else ''}: {exc}") from None
    except TypeError as exc:
        raise ConfigError(f"invalid config{' ' + where if where else ''}: {exc}") from None


def config_from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build (and validate) a config dataclass from a nested mapping."""
    return _build(cls, data)


def load_config(cls: type[T], presets: Sequence[str] = (), overrides: Sequence[str] = ()) -> T:
    """Merge presets in order, apply `key.path=value` overrides, validate into `cls`."""
    merged: dict[str, Any] = {}
    for name in presets:
        merged = deep_merge(merged, read_preset(name))
    for item in overrides:
        merged = deep_merge(merged, parse_override(item))
    return _build(cls, merged)


def config_to_dict(cfg: Any) -> dict[str, Any]:
    """Plain nested dict (tuples as lists) of a config dataclass, suitable for YAML/JSON."""

    def convert(value: Any) -> Any:
        if dataclasses.is_dataclass(value):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return convert(cfg)


def dump_config(cfg: Any) -> str:
    """YAML text of a resolved config."""
    return yaml.safe_dump(config_to_dict(cfg), sort_keys=False)


def save_config(cfg: Any, path: str | Path) -> None:
    """Write the resolved config as YAML, atomically."""
    from after.io import write_text_atomic

    write_text_atomic(path, dump_config(cfg))


def load_saved_config(cls: type[T], path: str | Path) -> T:
    """Read a config written by `save_config`."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: no saved config; is this a run folder made by `after`?")
    return config_from_dict(cls, yaml.safe_load(path.read_text(encoding="utf-8")) or {})
