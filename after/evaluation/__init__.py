"""`after eval`: judge exports with tools that are not the model (basic-pitch note F1, an MFCC instrument
classifier, spectral distances), and the General MIDI benchmark they are judged on."""
