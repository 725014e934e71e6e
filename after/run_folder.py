"""Names shared by the codec and diffusion run folders: `<run>/checkpoints/last.ckpt` and
`<run>/checkpoints/step=<N>.ckpt` (no Lightning import, so exporters can use them cheaply)."""

CHECKPOINT_DIR = "checkpoints"
LAST_CHECKPOINT = "last.ckpt"


def step_checkpoint_name(step: int) -> str:
    """File name of the checkpoint saved at `step`."""
    return f"step={step}.ckpt"
