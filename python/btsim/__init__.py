"""btsim's analysis side: load a result folder or an experiment into typed pandas tables,
or run btsim and load what it wrote (docs/python.md)."""

from .api import Experiment, Result, load, run
from .results import has_swarm, leechers, numeric_key, numeric_keys, quantity, renters, swept_keys

__all__ = ["Experiment", "Result", "load", "run", "has_swarm", "leechers", "numeric_key", "numeric_keys", "quantity",
           "renters", "swept_keys"]
