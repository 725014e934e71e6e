"""The device kit behind `after-device`: nn~ model → Max for Live device, Max patch, Pd patch, preset bank.

model (what the model offers, checked against `after.nn_tilde.contract`) → spec (a device definition resolved against
it) → patch_graph (one host-neutral graph) → hosts.max / hosts.pd (each host's boxes, from its tables) →
render (Jinja templates) → build (files); inspect and validate read patches back; amxd is
the `.amxd` container; names cleans user-supplied names; pd_check runs real headless Pd.
"""
