"""Our side of the nn~ external: everything about a `.ts` model as nn~ (Max, Live, Pd) sees it.

`module`: `NNModule`, the base of every export, and `save_nn_model`; `host`: read and drive a `.ts` the way the
host does (`read_model_info`, `emulate_host`); `contract`: the method/attribute tables of each model kind,
read by the exporters and by the device kit; `compat`: the check that a `.ts` runs in the libtorch of the
official nn~ builds (its operator table ships beside it); `codec_ts`: any codec `.ts` with `encode`/`decode`
as a latent space. Imports only `after.errors` and `after.io`, so every layer above can use it.
"""
