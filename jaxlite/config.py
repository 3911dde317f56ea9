"""Global flags, like `jax.config`.

Mirrors jax/_src/config.py: `jaxlite.config.update("jax_enable_x64", True)` switches the default
integer and float widths from 32 to 64 bits; `jax_debug_nans`/`jax_debug_infs` make NaNs and infinities
raise (jaxlite.dispatch). Flags start from environment variables (JAX_ENABLE_X64, JAX_DEBUG_NANS).
"""
import difflib
import os

from jaxlite.errors import with_hint


def _env_bool(name, default=False):
    value = os.environ.get(name.upper())
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    """A small bag of named flags; `update` refuses names it does not know, as JAX does."""

    def __init__(self):
        self._values = {
            "jax_enable_x64": _env_bool("jax_enable_x64"),
            "jax_default_jit_backend": os.environ.get("JAXLITE_JIT_BACKEND", "numpy"),
            "jax_log_compiles": _env_bool("jax_log_compiles"),
            "jax_explain_cache_misses": _env_bool("jax_explain_cache_misses"),
            "jax_debug_nans": _env_bool("jax_debug_nans"),
            "jax_debug_infs": _env_bool("jax_debug_infs"),
        }

    def update(self, name, value):
        if name not in self._values:
            close = difflib.get_close_matches(str(name), self._values, n=1)
            raise AttributeError(with_hint(f"Unrecognized config option: {name}",
                                           f"check the option's name: did you mean {close[0]!r}?" if close else
                                           f"jaxlite's config options are {', '.join(sorted(self._values))}."))
        self._values[name] = value
        if name == "jax_enable_x64":
            from jaxlite import dtypes
            dtypes._clear_caches()
        if name in ("jax_debug_nans", "jax_debug_infs"):
            from jaxlite import dispatch
            dispatch.update_flags()

    def read(self, name):
        return self._values[name]

    def __getattr__(self, name):
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None


config = Config()


def x64_enabled():
    return config._values["jax_enable_x64"]


class _FlagContext:
    """`with jaxlite.debug_nans(True):` sets a flag for the block, as JAX's flag context managers do."""

    def __init__(self, name, value=True):
        self.name, self.value = name, value

    def __enter__(self):
        self.before = config.read(self.name)
        config.update(self.name, self.value)

    def __exit__(self, *exc):
        config.update(self.name, self.before)


def debug_nans(new_val=True):
    return _FlagContext("jax_debug_nans", new_val)


def debug_infs(new_val=True):
    return _FlagContext("jax_debug_infs", new_val)
