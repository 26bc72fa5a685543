"""The notebooks' name for the `btsim` Python package's readers (python/btsim/results.py),
importable without `pip install -e python` from a checkout. This checkout's package comes
first on the path, even when another checkout's is pip-installed, so that a notebook
always reads results with the code of the btsim that wrote them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
from btsim.results import *  # noqa: E402,F401,F403
