"""Fast eager dispatch: `Primitive.bind` with the checks of each operand type done once.

The plain path (core.Primitive.bind -> EvalTrace.process_primitive -> dispatch.apply_primitive)
runs a standard primitive's shape, dtype and weak-type rules on every call. Their outcome depends
only on the operands' types and the params, so the first call for a combination keeps it, and the
next ones go straight to NumPy. The same holds under tracing: a standard primitive's abstract eval
is memoized on (input avals, params).

The arithmetic operators of concrete arrays (`x * y`, `x + y`, `x - y`, `x / y`) take a shorter
path still when nothing is traced and both operands have one dtype and weak type: the result's
dtype and weak type are then the operands' own, so the NumPy function runs at once.
"""
import functools
import operator

import numpy as np

from jaxlite import core, dispatch
from jaxlite.array import ArrayImpl
from jaxlite.lax import lax

_plain_bind = core.Primitive.bind
_plain_process_primitive = core.EvalTrace.process_primitive
UNSEEN = object()
_new = object.__new__
_LIMIT = 4096  # entries per table: many distinct shapes start a table over rather than grow it

_numpy_impls = {}  # primitive -> its NumPy function if it is a standard primitive, else None
_checked = {}      # (primitive, operand types, params) -> the result's aval
_memoized = {}     # primitive -> its plain abstract eval, while a memoized one stands in
direct_impls = {}  # a primitive that is not standard -> a fast impl of it (UNSEEN: the plain path)


def is_standard(prim):
    """A standard primitive's impl is dispatch.apply_primitive (see lax.utils.standard_primitive),
    or wraps it (`__wrapped__`) with a path for other operands than concrete arrays (prng's typed
    keys), which the fast path never hands it."""
    impl = getattr(prim.impl, "__wrapped__", prim.impl)
    return type(impl) is functools.partial and impl.func is dispatch.apply_primitive


def _learn(prim):
    numpy_impl = prim.numpy_impl if is_standard(prim) else None
    if numpy_impl is not None and prim not in _memoized:
        _memoized[prim] = prim.abstract_eval
        prim.abstract_eval = _memoize(prim.abstract_eval)
    _numpy_impls[prim] = numpy_impl
    return numpy_impl


def _memoize(abstract_eval):
    cache = {}

    def memoized(*avals, **params):
        try:
            key = (*avals, *params.items()) if params else avals
            out = cache.get(key)
        except TypeError:  # a parameter that cannot be hashed
            return abstract_eval(*avals, **params)
        if out is None:
            out = abstract_eval(*avals, **params)
            if len(cache) > _LIMIT:
                cache.clear()
            cache[key] = out
        return out
    return memoized


def bind(self, *args, **params):
    trace = core.trace_ctx.trace
    if trace is not core.eval_trace:
        return trace.process_primitive(self, args, params)  # what the plain bind does
    out = apply(self, args, params)
    return _plain_bind(self, *args, **params) if out is UNSEEN else out


def process_primitive(self, primitive, args, params):
    """EvalTrace's: the primal operations of grad and jvp reach the eval trace this way, not by bind."""
    out = apply(primitive, args, params)
    return _plain_process_primitive(self, primitive, args, params) if out is UNSEEN else out


def apply(prim, args, params):
    """The result of a standard primitive on concrete arrays, its types checked once per combination;
    UNSEEN where the plain path must run (another primitive or operand, a NaN check)."""
    numpy_impl = _numpy_impls.get(prim, UNSEEN)
    if numpy_impl is UNSEEN:
        numpy_impl = _learn(prim)
    if numpy_impl is None:
        direct = direct_impls.get(prim)
        return UNSEEN if direct is None else direct(*args, **params)
    if dispatch.needs_check_special:
        return UNSEEN
    if len(args) == 2 and not params:
        x, y = args
        if type(x) is not ArrayImpl or type(y) is not ArrayImpl:
            return UNSEEN
        xv, yv = x._value, y._value
        key = (prim, xv.dtype, yv.dtype, x.weak_type, y.weak_type, xv.shape, yv.shape)
        aval = _checked.get(key)
        if aval is None:
            aval = _check(key, args, params)
        out = numpy_impl(xv, yv)
    elif len(args) == 1 and not params:
        x, = args
        if type(x) is not ArrayImpl:
            return UNSEEN
        xv = x._value
        key = (prim, xv.dtype, x.weak_type, xv.shape)
        aval = _checked.get(key)
        if aval is None:
            aval = _check(key, args, params)
        out = numpy_impl(xv)
    elif len(args) == 1:  # reshape, reduce_sum, transpose, ...: params are part of the key
        x, = args
        if type(x) is not ArrayImpl:
            return UNSEEN
        xv = x._value
        try:
            key = (prim, xv.dtype, x.weak_type, xv.shape, *params.items())
            aval = _checked.get(key)
        except TypeError:  # a parameter that cannot be hashed
            return UNSEEN
        if aval is None:
            aval = _check(key, args, params)
        out = numpy_impl(xv, **params)
    elif len(args) == 2:  # dot_general, ...
        x, y = args
        if type(x) is not ArrayImpl or type(y) is not ArrayImpl:
            return UNSEEN
        xv, yv = x._value, y._value
        try:
            key = (prim, xv.dtype, yv.dtype, x.weak_type, y.weak_type, xv.shape, yv.shape, *params.items())
            aval = _checked.get(key)
        except TypeError:
            return UNSEEN
        if aval is None:
            aval = _check(key, args, params)
        out = numpy_impl(xv, yv, **params)
    else:  # select_n, concatenate, ...
        for a in args:
            if type(a) is not ArrayImpl:
                return UNSEEN
        try:
            key = (prim, *[(a._value.dtype, a.weak_type, a._value.shape) for a in args], *params.items())
            aval = _checked.get(key)
        except TypeError:  # a parameter that cannot be hashed
            return UNSEEN
        if aval is None:
            aval = _check(key, args, params)
        out = numpy_impl(*[a._value for a in args], **params)
    if out.dtype != aval.dtype:
        out = np.asarray(out).astype(aval.dtype)
    result = _new(ArrayImpl)  # ArrayImpl(out, aval.weak_type, aval)
    result._value = out
    result.weak_type = aval.weak_type
    result._aval = aval
    return result


def _check(key, args, params):
    """The first call for these operand types: the rules check them (and raise JAX's errors)."""
    aval = _memoized[key[0]](*[a.aval for a in args], **params)
    if len(_checked) > _LIMIT:
        _checked.clear()
    _checked[key] = aval
    return aval


# NumPy's own dtypes whose sums, differences, products (and for floats, quotients) keep the dtype
_INEXACT = frozenset(np.dtype(t) for t in (np.float16, np.float32, np.float64, np.complex64, np.complex128))
_NUMERIC = _INEXACT | frozenset(np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64, np.uint8,
                                                       np.uint16, np.uint32, np.uint64))
# operator -> (the primitive jaxlite.numpy binds, its NumPy function as an operator, the dtypes)
_OPERATORS = {"__add__": (lax.add_p, operator.add, _NUMERIC), "__sub__": (lax.sub_p, operator.sub, _NUMERIC),
              "__mul__": (lax.mul_p, operator.mul, _NUMERIC),
              "__truediv__": (lax.div_p, operator.truediv, _INEXACT)}
_plain_operators = {}


def _operator(name, numpy_op, dtypes):
    """ArrayImpl's `name` for two concrete arrays of one dtype and weak type outside any
    transformation: the result of the primitive that jaxlite.numpy's ufunc binds, by the same NumPy
    ufunc, and of the operands' dtype and weak type. Their shapes broadcast as NumPy broadcasts
    them, which is jaxlite.numpy's broadcasting too (its rank promotion and lax's size-1 axes give
    the same elements); shapes NumPy refuses, and anything else, take the plain operator (and its
    error)."""
    plain = _plain_operators[name]
    trace_ctx, eval_trace = core.trace_ctx, core.eval_trace

    def op(self, other):
        if (type(other) is ArrayImpl and type(self) is ArrayImpl and trace_ctx.trace is eval_trace
                and not dispatch.needs_check_special):
            xv, yv = self._value, other._value
            dtype = xv.dtype
            if dtype in dtypes and dtype is yv.dtype and self.weak_type is other.weak_type:
                try:
                    value = numpy_op(xv, yv)
                except ValueError:  # shapes that do not broadcast
                    return plain(self, other)
                out = _new(ArrayImpl)  # what ArrayImpl(value, weak_type) makes, without the call of __init__
                out._value = value
                out.weak_type = self.weak_type
                out._aval = None
                return out
        return plain(self, other)
    op.__name__ = op.__qualname__ = name
    return op


def install():
    core.Primitive.bind = bind
    core.EvalTrace.process_primitive = process_primitive
    for name, (_, numpy_op, dtypes) in _OPERATORS.items():
        _plain_operators.setdefault(name, getattr(ArrayImpl, name))
        setattr(ArrayImpl, name, _operator(name, numpy_op, dtypes))


def uninstall():
    core.Primitive.bind = _plain_bind
    core.EvalTrace.process_primitive = _plain_process_primitive
    for name, plain in _plain_operators.items():
        setattr(ArrayImpl, name, plain)
    for prim, plain in _memoized.items():
        prim.abstract_eval = plain
    _memoized.clear()
    _numpy_impls.clear()
    _checked.clear()


def clear():
    _checked.clear()
