"""The libtorch 2.5.1 check ships: the operator table is package data, the export commands refuse (one line,
naming the operator, nothing left at the final path) a model that official nn~ builds could not run, and
`after-device build` warns about foreign models that would fail there.

A libtorch that lacks an operator our exports use is simulated with the real table minus that operator."""

from pathlib import Path

import pytest
import tomllib
import torch
from click.testing import CliRunner

import after.nn_tilde.compat as compat
from after.cli.main import after_group, device_group
from after.codec.config import CodecConfig
from after.codec.export import STREAM_FILE, export_codec
from after.codec.model import build_codec
from after.config import load_config
from after.errors import ModelContractError
from after.nn_tilde.module import NNModule
from tests.helpers.export_models import make_latent_db, make_run, make_streaming_codec, one_thread  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("one_thread")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def libtorch_without(monkeypatch):
    """`libtorch_without("aten::nan_to_num")`: the nn~ table with every overload of that operator removed."""
    def remove(operator: str) -> None:
        full = compat.load_schemas(compat.nn_tilde_schemas_path())
        kept = {k: v for k, v in full.schemas.items() if k.split(".")[0] != operator}
        assert len(kept) < len(full.schemas)
        monkeypatch.setattr(compat, "_NN_TILDE_SCHEMAS", [compat.OperatorSchemas(full.version, kept,
                                                                                full.max_operator_version)])
    return remove


def test_operator_table_ships_in_the_package():
    path = compat.nn_tilde_schemas_path()
    assert path.parent == REPO / "after" / "nn_tilde" and path.name == "libtorch-2.5.1-schemas.json"
    package_data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "*.json" in package_data["after.nn_tilde"]
    table = compat.nn_tilde_schemas()
    assert table.version.startswith("2.5.1") and table.max_operator_version == 10 and len(table.schemas) > 4000


def test_export_refuses_a_model_nn_tilde_cannot_run(tmp_path, libtorch_without):
    libtorch_without("aten::nan_to_num")  # every export sanitises its inputs with it
    codec = make_streaming_codec(tmp_path / "export_stream.ts")
    run = make_run(tmp_path / "run", codec, 256, 16, 16000)
    db = make_latent_db(tmp_path / "db", 16, 256, ("brass", "keys"), per_label=4)
    result = CliRunner().invoke(after_group, ["export", "--model_path", str(run), "--emb_model_path", str(codec),
                                              "--db_path", str(db), "--out", str(tmp_path / "out"),
                                              "--n_presets", "2"])
    assert result.exit_code != 0
    message = result.output.strip().splitlines()[-1]
    assert "aten::nan_to_num" in message and "libtorch 2.5.1" in message and "after.audio.out.ts" not in message
    assert "Traceback" not in result.output
    assert not list((tmp_path / "out").glob("*.ts"))


def test_codec_export_refuses_a_model_nn_tilde_cannot_run(tmp_path, libtorch_without):
    """`after export_autoencoder` writes through `export_codec`: the streaming file (the one that concatenates
    its state) never reaches its name."""
    libtorch_without("aten::cat")
    cfg = load_config(CodecConfig, ["baseAE", "smallAE"], ["model.dilations=[1, 3]"])
    with pytest.raises(ModelContractError, match=r"aten::cat.*libtorch 2\.5\.1|libtorch 2\.5\.1.*aten::cat"):
        export_codec(build_codec(cfg.model).eval(), cfg, tmp_path)
    assert not (tmp_path / STREAM_FILE).exists()


class TooNewModel(NNModule):
    """A foreign nn~ model that calls an operator libtorch 2.5.1 lacks (`aten::mm.dtype`) in one branch."""

    def __init__(self) -> None:
        super().__init__()
        self.register_method("forward", 1, 1, 1, 1, test=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.size(0) > 1_000_000:
            return torch.mm(x[0], x[0].t(), out_dtype=torch.float32)[None]
        return x


def test_device_build_warns_about_a_foreign_model_that_would_fail(tmp_path):
    path = tmp_path / "too_new.ts"
    torch.jit.script(TooNewModel()).save(str(path))
    assert "aten::mm.dtype" in compat.foreign_model_warning(path)
    result = CliRunner().invoke(device_group, ["build", str(path), "--out", str(tmp_path / "device")])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "aten::mm.dtype" in result.output


def test_our_exports_are_not_checked_again_by_the_device_kit(tmp_path):
    """Files with our metadata were checked when written; the kit skips the (half-second) check for them."""
    codec = make_streaming_codec(tmp_path / "export_stream.ts")
    assert compat.foreign_model_warning(codec) is None
