"""The device kit behind `after-device`: nn~ model → Max for Live device, Max patch, Pd patch, preset bank.

model (what the model offers) → spec (a device definition resolved against it) → max_layout / pd_layout
(patch graphs) → render (Jinja templates) → build (files); inspect and validate read patches back; amxd is
the `.amxd` container; names cleans user-supplied names; pd_check runs real headless Pd.
"""
