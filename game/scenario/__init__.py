"""Story files: schema, loader with line-accurate errors, cross-checks, world building."""
