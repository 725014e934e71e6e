"""after — Audio Features Transfer and Exploration in Real-time.

Streaming neural audio codec + latent diffusion (structure from one stream, timbre from another),
exported for the nn~ external, with a device kit that builds Max for Live devices, Max and Pd patches.
"""

__version__ = "0.1.0"
