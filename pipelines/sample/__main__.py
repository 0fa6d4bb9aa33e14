"""Regenerate the committed sample: python -m pipelines.sample [OUT_DIR] (default: raw/)."""

import sys
from pathlib import Path

from pipelines.settings import PROJECT_DIR

from .generate import MANIFEST_PATH, generate_sample

out = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_DIR / "raw"
summary = generate_sample(out, manifest_path=MANIFEST_PATH if len(sys.argv) == 1 else None)
print(summary.text())
