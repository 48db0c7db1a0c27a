"""Hidden reference implementations (never released, never loaded in a learner's kernel)."""
