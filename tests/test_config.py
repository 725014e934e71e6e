from dataclasses import dataclass, field
from typing import Literal, Optional, Tuple

import pytest

from after.config import config_to_dict, load_config, load_saved_config, parse_override, save_config
from after.errors import ConfigError


@dataclass(frozen=True)
class Inner:
    width: int = 8
    kind: Literal["a", "b"] = "a"
    ratios: Tuple[int, ...] = (2, 4)

    def __post_init__(self):
        if self.width <= 0:
            raise ValueError("width must be > 0")


@dataclass(frozen=True)
class Outer:
    name: str = "x"
    lr: float = 1e-3
    inner: Inner = field(default_factory=Inner)
    seed: Optional[int] = None


def test_defaults_and_overrides():
    cfg = load_config(Outer, [], ["inner.width=16", "lr=0.5", "inner.ratios=[1, 2, 8]", "seed=3"])
    assert cfg.inner.width == 16 and cfg.lr == 0.5 and cfg.inner.ratios == (1, 2, 8) and cfg.seed == 3
    assert cfg.inner.kind == "a"


def test_unknown_key_names_valid_ones():
    with pytest.raises(ConfigError, match="valid keys of inner: kind, ratios, width"):
        load_config(Outer, [], ["inner.wdth=3"])


def test_bad_values():
    with pytest.raises(ConfigError, match="expected an integer"):
        load_config(Outer, [], ["inner.width=abc"])
    with pytest.raises(ConfigError, match="not one of"):
        load_config(Outer, [], ["inner.kind=c"])
    with pytest.raises(ConfigError, match="width must be > 0"):
        load_config(Outer, [], ["inner.width=0"])


def test_unknown_preset():
    with pytest.raises(ConfigError, match="unknown config preset 'nope'"):
        load_config(Outer, ["nope"])


def test_presets_merge_in_order(tmp_path):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text("description: first\nlr: 0.1\ninner: {width: 4, kind: b}\n")
    b.write_text("inner: {width: 32}\n")
    cfg = load_config(Outer, [str(a), str(b)])
    assert cfg.lr == 0.1 and cfg.inner.width == 32 and cfg.inner.kind == "b"


def test_save_roundtrip(tmp_path):
    cfg = load_config(Outer, [], ["inner.width=5"])
    save_config(cfg, tmp_path / "config.yaml")
    assert load_saved_config(Outer, tmp_path / "config.yaml") == cfg
    assert config_to_dict(cfg)["inner"]["ratios"] == [2, 4]


def test_parse_override_requires_equals():
    with pytest.raises(ConfigError):
        parse_override("inner.width")
