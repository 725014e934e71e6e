"""Training of the streaming codec: the only place Lightning is imported on the codec side.

`run.train_autoencoder(CodecTrainOptions)` is what `after train_autoencoder` calls; `system` holds the
LightningModule. Same shape as `after.diffusion.training`.
"""

from after.codec.training.run import train_codec  # noqa: F401  (the lower layer: a resolved config into a run folder)
