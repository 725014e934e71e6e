"""What both trainers share: the run folder and what writes into it while training.

`run_folder`: the names inside a run folder, `checkpoint_path` and the `--resume` rule (no Lightning, so the
`runs.py` readers of each model import it too); `checkpoints`: the Lightning callback that saves step
checkpoints; `time_budget`: the Lightning callbacks that stop a run after a training-time budget and show its
bar. Each model's own trainer lives next to it (`after.codec.training`, `after.diffusion.training`).
"""
