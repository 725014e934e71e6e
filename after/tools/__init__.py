"""Tools around the pipeline, each a user of the layers below and of nothing that uses it.

`bench`: `after bench` (milliseconds per buffer of an export as nn~ runs it, in a fresh process); `explore`:
what the notebooks use to render transfers and walk the timbre map; `device_examples`: `after-device examples`
(the example devices of `patchs/`, built from the demo's configuration without a trained model).
"""
