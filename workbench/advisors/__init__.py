"""The advisor modes (architecture, debug, optimize) and the code analyzer's model step:
questions framed for a mode, asked through the engine, answered in the seed's report shape.
They sit above the engine; `workbench.analysis` below it only measures code."""
