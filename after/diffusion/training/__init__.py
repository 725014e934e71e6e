"""Training of AFTER diffusion models: the only place Lightning is imported on the diffusion side."""
