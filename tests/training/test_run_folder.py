"""What both trainers share: `--gpu/--devices` parsing, the run-start rule and `checkpoint_path`."""

import click
import pytest

from after.cli.common import lightning_hardware, train_overrides
from after.errors import InputError, OutputExistsError
from after.training.run_folder import CHECKPOINT_DIR, LAST_CHECKPOINT, check_run_start, checkpoint_path, saved_steps


@pytest.mark.parametrize("gpu, devices, num_nodes, expected", [
    (-1, None, 1, ("cpu", 1, "auto")),
    (None, None, 1, ("auto", "auto", "auto")),
    (2, None, 1, ("gpu", [2], "auto")),
    (-1, "4", 1, ("auto", 4, "ddp_find_unused_parameters_true")),  # --devices wins over --gpu
    (None, "0,1", 1, ("auto", [0, 1], "ddp_find_unused_parameters_true")),
    (None, "auto", 1, ("auto", "auto", "auto")),
    (0, None, 2, ("gpu", [0], "ddp_find_unused_parameters_true")),
])
def test_lightning_hardware(gpu, devices, num_nodes, expected):
    hardware = lightning_hardware(gpu, devices, num_nodes, None, None)
    assert (hardware["accelerator"], hardware["devices"], hardware["strategy"]) == expected
    assert hardware["num_nodes"] == num_nodes and hardware["precision"] is None
    assert lightning_hardware(gpu, devices, num_nodes, "ddp", "bf16-mixed")["strategy"] == "ddp"


def test_lightning_hardware_rejects_a_bad_device_list():
    with pytest.raises(click.BadParameter, match="comma-separated list"):
        lightning_hardware(None, "0,x", 1, None, None)


def test_train_overrides_put_flags_last():
    assert train_overrides(("train.batch_size=4", "model.x=1"), batch_size=8, max_steps=None) == (
        "train.batch_size=4", "model.x=1", "train.batch_size=8")


def test_run_start_and_checkpoint_path(tmp_path):
    run = tmp_path / "run"
    with pytest.raises(InputError, match="nothing to resume.*drop --resume"):
        check_run_start(run, resume=True)
    check_run_start(run, resume=False)
    with pytest.raises(InputError, match=r"checkpoint not found \(the run has no checkpoint yet\)"):
        checkpoint_path(run)
    folder = run / CHECKPOINT_DIR
    folder.mkdir(parents=True)
    for name in ("step=20.ckpt", "step=5.ckpt", ".step=30.ckpt.partial", "step=7.ckpt.bak", LAST_CHECKPOINT):
        (folder / name).write_bytes(b"")
    assert saved_steps(run) == [5, 20]
    assert checkpoint_path(run) == folder / LAST_CHECKPOINT and checkpoint_path(run, 5) == folder / "step=5.ckpt"
    with pytest.raises(InputError, match="step=6.ckpt: checkpoint not found .available steps: 5, 20.; train longer"):
        checkpoint_path(run, 6)
    check_run_start(run, resume=True)
    with pytest.raises(OutputExistsError, match="pass --resume to continue it or choose another --name"):
        check_run_start(run, resume=False)
