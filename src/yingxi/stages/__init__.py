"""Pipeline stages: one file per stage, each a pure function of its declared input."""
