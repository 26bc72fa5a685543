"""The notebooks' name for the `btsim` Python package's readers (python/btsim/results.py),
importable without `pip install -e python` from a checkout."""

try:
    from btsim.results import *  # noqa: F401,F403
except ImportError:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
    from btsim.results import *  # noqa: F401,F403
