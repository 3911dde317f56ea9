"""Pytrees: nested containers (tuples, lists, dicts, None, registered classes) taken apart into leaves and rebuilt.
Mirrors jax/_src/tree_util.py (whose node logic JAX keeps in C++, in jaxlib's pytree module)."""

import collections as _collections
import dataclasses as _dataclasses
import difflib as _difflib
import functools as _functools
import textwrap as _textwrap
import typing as _typing

from jaxlite.errors import with_hint as _with_hint

# ---------------------------------------------------------------------------------------------------------------
# Key paths: where a leaf sits inside a tree, one entry per level.


@_dataclasses.dataclass(frozen=True)
class SequenceKey:
    """The position of a child in a tuple or list."""
    idx: int

    def __str__(self):
        return f"[{self.idx!r}]"


@_dataclasses.dataclass(frozen=True)
class DictKey:
    """The key of a child in a dict (or OrderedDict, defaultdict)."""
    key: object

    def __str__(self):
        return f"[{self.key!r}]"


@_dataclasses.dataclass(frozen=True)
class GetAttrKey:
    """The attribute name of a child (namedtuple fields, dataclass fields)."""
    name: str

    def __str__(self):
        return f".{self.name}"


@_dataclasses.dataclass(frozen=True)
class FlattenedIndexKey:
    """The position of a child among what a custom node's flatten function returned (when it gave no keys)."""
    key: int

    def __str__(self):
        return f"[<flat index {self.key}>]"


def _simple_str(entry):
    """A key entry without its brackets or dot: `a` for DictKey('a'), `0` for SequenceKey(0)."""
    if isinstance(entry, SequenceKey):
        return str(entry.idx)
    if isinstance(entry, GetAttrKey):
        return str(entry.name)
    if isinstance(entry, (DictKey, FlattenedIndexKey)):
        return str(entry.key)
    return str(entry)


def keystr(keys, *, simple=False, separator=""):
    """A key path as text, e.g. "['a'][0].x" (or "a/0/x" with simple=True, separator='/')."""
    return separator.join(map(_simple_str if simple else str, keys))


# ---------------------------------------------------------------------------------------------------------------
# The registry: one entry per node type, found with a single dict lookup on type(x).


class _NodeKind:
    """How to take apart and rebuild one type of pytree node.

    flatten(x) -> (children, node_data); unflatten(node_data, children) -> x;
    flatten_with_keys(x) -> ([(key, child), ...], node_data). `name` picks the repr and error texts."""
    __slots__ = ("name", "flatten", "unflatten", "flatten_with_keys")

    def __init__(self, name, flatten, unflatten, flatten_with_keys):
        self.name, self.flatten, self.unflatten, self.flatten_with_keys = name, flatten, unflatten, flatten_with_keys


def _sorted_keys(d):
    """A dict's keys, sorted: dicts built in different orders then have the same structure and leaf order."""
    try:
        return tuple(sorted(d))
    except TypeError as e:
        raise ValueError(_with_hint("Comparator raised exception while sorting pytree dictionary keys.",
                                   "a pytree's dict keys are sorted to fix the leaf order, so they must be "
                                   "comparable: use keys of one type (all strings, say).")) from e


def _flatten_dict(d):
    keys = _sorted_keys(d)
    return [d[k] for k in keys], keys


def _flatten_dict_with_keys(d):
    keys = _sorted_keys(d)
    return [(DictKey(k), d[k]) for k in keys], keys


def _flatten_defaultdict(d):
    keys = tuple(sorted(d))
    return [d[k] for k in keys], (d.default_factory, keys)


def _flatten_defaultdict_with_keys(d):
    keys = tuple(sorted(d))
    return [(DictKey(k), d[k]) for k in keys], (d.default_factory, keys)


def _with_index_keys(flatten):
    """Keys for a node registered without them: the child's position, FlattenedIndexKey(i)."""
    def flatten_with_keys(x):
        children, node_data = flatten(x)
        return [(FlattenedIndexKey(i), c) for i, c in enumerate(children)], node_data
    return flatten_with_keys


_registry = {
    type(None): _NodeKind("None", lambda x: ((), None), lambda _, __: None, lambda x: ((), None)),
    tuple: _NodeKind("tuple", lambda t: (t, None), lambda _, xs: tuple(xs),
                     lambda t: ([(SequenceKey(i), c) for i, c in enumerate(t)], None)),
    list: _NodeKind("list", lambda l: (l, None), lambda _, xs: list(xs),
                    lambda l: ([(SequenceKey(i), c) for i, c in enumerate(l)], None)),
    dict: _NodeKind("dict", _flatten_dict, lambda keys, xs: dict(zip(keys, xs)), _flatten_dict_with_keys),
    # The two below print and fail like nodes registered by a user, as in JAX.
    _collections.OrderedDict: _NodeKind(
        "custom", lambda d: (list(d.values()), tuple(d)), lambda keys, xs: _collections.OrderedDict(zip(keys, xs)),
        lambda d: ([(DictKey(k), v) for k, v in d.items()], tuple(d))),
    _collections.defaultdict: _NodeKind(
        "custom", _flatten_defaultdict, lambda data, xs: _collections.defaultdict(data[0], zip(data[1], xs)),
        _flatten_defaultdict_with_keys),
}

# Every namedtuple class is a node without being registered. Its node data is the class, so unflatten can rebuild it.
_NAMEDTUPLE = _NodeKind("namedtuple", lambda t: (t, type(t)), lambda cls, xs: cls(*xs),
                        lambda t: ([(GetAttrKey(f), c) for f, c in zip(t._fields, t)], type(t)))


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def _kind_of(x):
    """The node kind of x, or None when x is a leaf. Registered types win over the namedtuple rule."""
    kind = _registry.get(type(x))
    if kind is None and _is_namedtuple(x):
        return _NAMEDTUPLE
    return kind


# ---------------------------------------------------------------------------------------------------------------
# PyTreeDef: the shape of a tree with the leaves taken out.


_UNFLATTEN_HINT = ("unflatten takes exactly one leaf per * of the treedef ({} here): pass the leaves that "
                   "tree_flatten gave, in that order.")


class PyTreeDef:
    """An immutable tree of nodes; each node knows its kind, its Python type, its node data and its children.

    A leaf is a node with no kind. Two treedefs are equal when their types and node data (compared with ==) agree
    all the way down, so a jit cache can use them as keys."""
    __slots__ = ("_kind", "_node_type", "_node_data", "_children", "_num_leaves", "_num_nodes", "_hash")

    def __init__(self, kind, node_type, node_data, children):
        self._kind, self._node_type, self._node_data = kind, node_type, node_data
        self._children = tuple(children)
        num_leaves, num_nodes = (1, 1) if kind is None else (0, 1)
        for child in self._children:
            num_leaves += child._num_leaves
            num_nodes += child._num_nodes
        self._num_leaves, self._num_nodes = num_leaves, num_nodes
        # Node data need not be hashable (a list is fine), so only types and shape go into the
        # hash, computed once: jit hashes the treedef of its arguments on every call.
        self._hash = hash((node_type, num_leaves, tuple(c._hash for c in self._children)))

    @property
    def num_leaves(self):
        return self._num_leaves

    @property
    def num_nodes(self):
        return self._num_nodes

    def children(self):
        """The treedefs of the root's children (empty for a leaf)."""
        return list(self._children)

    def node_data(self):
        """(type, node data) of the root, or None for a leaf.

        As in JAX, a dict's keys come as a list and a namedtuple's node data as None."""
        if self._kind is None:
            return None
        if self._kind is _NAMEDTUPLE:
            return (self._node_type, None)
        if self._kind.name == "dict":
            return (dict, list(self._node_data))
        return (self._node_type, self._node_data)

    def unflatten(self, leaves):
        """Rebuild a tree of this shape from its leaves (in flattening order)."""
        leaves = list(leaves)
        if len(leaves) < self._num_leaves:
            raise ValueError(_with_hint(f"Too few leaves for PyTreeDef; expected {self._num_leaves}, got "
                                       f"{len(leaves)}", _UNFLATTEN_HINT.format(self._num_leaves)))
        if len(leaves) > self._num_leaves:
            raise ValueError(_with_hint(f"Too many leaves for PyTreeDef; expected {self._num_leaves}.",
                                       _UNFLATTEN_HINT.format(self._num_leaves)))
        return self._build(iter(leaves))

    def _build(self, leaves):
        if self._kind is None:
            return next(leaves)
        # Leaf children are taken here rather than by a call each: jit unflattens on every call.
        return self._kind.unflatten(self._node_data, tuple([next(leaves) if c._kind is None else c._build(leaves)
                                                            for c in self._children]))

    def flatten_up_to(self, tree):
        """The subtrees of `tree` that sit where this treedef has leaves; `tree` must have this shape down to them."""
        subtrees = []
        self._flatten_up_to(tree, subtrees)
        return subtrees

    def _flatten_up_to(self, tree, subtrees):
        if self._kind is None:
            subtrees.append(tree)
            return
        if type(tree) is self._node_type:
            children, node_data = self._kind.flatten(tree)
            children = tuple(children)
            if node_data == self._node_data and len(children) == len(self._children):
                for child_def, child in zip(self._children, children):
                    child_def._flatten_up_to(child, subtrees)
                return
        raise ValueError(_with_hint(_mismatch_message(self, tree), "the trees must have the same structure: the "
                                   "same containers, lengths and dict keys (compare their tree_structure)."))

    def compose(self, inner):
        """This tree with every leaf replaced by the tree `inner`."""
        if self._kind is None:
            return inner
        return PyTreeDef(self._kind, self._node_type, self._node_data, [c.compose(inner) for c in self._children])

    def __eq__(self, other):
        if self is other:
            return True
        if not isinstance(other, PyTreeDef):
            return NotImplemented
        return (self._hash == other._hash and self._kind is other._kind and self._node_type is other._node_type
                and self._node_data == other._node_data and self._children == other._children)

    def __hash__(self):
        return self._hash

    def __repr__(self):
        return f"PyTreeDef({self._node_repr()})"

    def _node_repr(self):
        if self._kind is None:
            return "*"
        parts = [c._node_repr() for c in self._children]
        name = self._kind.name
        if name == "None":
            return "None"
        if name == "tuple":
            return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        if name == "list":
            return "[" + ", ".join(parts) + "]"
        if name == "dict":
            return "{" + ", ".join(f"{k!r}: {p}" for k, p in zip(self._node_data, parts)) + "}"
        if name == "namedtuple":
            label = f"namedtuple[{self._node_type.__name__}]"
        else:
            label = f"{self._node_type.__name__}[{self._node_data}]"
        return f"CustomNode({label}, [{', '.join(parts)}])"


_LEAF = PyTreeDef(None, None, None, ())

_NONE_HINT = (
    "\n\nIn previous releases of JAX, flatten-up-to used to consider None to be a tree-prefix of non-None values. "
    "To obtain the previous behavior, you can usually write:\n"
    "  jax.tree.map(lambda x, y: None if x is None else f(x, y), a, b, is_leaf=lambda x: x is None)")


def _mismatch_message(treedef, x):
    """JAX's text for flatten_up_to meeting `x` where `treedef`'s root node should be."""
    name, expected, arity = treedef._kind.name, treedef._node_type, len(treedef._children)
    if name == "None":
        return f"Expected None, got {x!r}." + _NONE_HINT
    if name in ("tuple", "list"):
        if type(x) is not expected:
            return f"Expected {name}, got {x!r}."
        return f"{name.capitalize()} arity mismatch: {len(x)} != {arity}; {name}: {x!r}."
    if name == "dict":
        if type(x) is not dict:
            return f"Expected dict, got {x!r}."
        return (f"Dict key mismatch; expected keys: {list(treedef._node_data)}; "
                f"present keys: {list(_sorted_keys(x))}.")
    if name == "namedtuple":
        if not _is_namedtuple(x):
            return f"Expected named tuple, got {x!r}."
        if len(x) != arity:
            return f"Named tuple arity mismatch: {len(x)} != {arity}; tuple: {x!r}."
        return f"Named tuple type mismatch: expected type: {expected}, tuple: {x!r}."
    label = "custom dataclass node" if name == "dataclass" else "custom node"
    if type(x) is not expected:
        return f"{label.capitalize()} type mismatch: expected type: {expected}, value: {x!r}."
    children, node_data = treedef._kind.flatten(x)
    if node_data != treedef._node_data:
        return f"Mismatch {label} data: {treedef._node_data!r} != {node_data!r}; value: {x!r}."
    return f"Custom type arity mismatch: {len(tuple(children))} != {arity}; value: {x!r}."


# ---------------------------------------------------------------------------------------------------------------
# Flattening and unflattening.


def _flatten(x, is_leaf, leaves):
    if is_leaf is not None and is_leaf(x):
        leaves.append(x)
        return _LEAF
    kind = _registry.get(type(x))  # _kind_of, inlined: this line runs for every node and leaf of every argument
    if kind is None:
        if not _is_namedtuple(x):
            leaves.append(x)
            return _LEAF
        kind = _NAMEDTUPLE
    children, node_data = kind.flatten(x)
    return PyTreeDef(kind, type(x), node_data, [_flatten(c, is_leaf, leaves) for c in children])


def tree_flatten(tree, is_leaf=None):
    """(leaves, treedef): the leaves left to right (dicts by sorted key), and the shape to rebuild them into.

    is_leaf(x) -> True stops the descent at x, making x a leaf even if it is a node."""
    leaves = []
    treedef = _flatten(tree, is_leaf, leaves)
    return leaves, treedef


def tree_unflatten(treedef, leaves):
    """The tree of shape `treedef` holding `leaves`."""
    return treedef.unflatten(leaves)


def _collect_leaves(x, is_leaf, leaves):
    """tree_flatten's walk without building the treedef (tree_leaves needs none)."""
    if is_leaf is not None and is_leaf(x):
        leaves.append(x)
        return
    kind = _registry.get(type(x))
    if kind is None:
        if not _is_namedtuple(x):
            leaves.append(x)
            return
        kind = _NAMEDTUPLE
    for child in kind.flatten(x)[0]:
        _collect_leaves(child, is_leaf, leaves)


def tree_leaves(tree, is_leaf=None):
    leaves = []
    _collect_leaves(tree, is_leaf, leaves)
    return leaves


def tree_structure(tree, is_leaf=None):
    return tree_flatten(tree, is_leaf)[1]


def treedef_is_leaf(treedef):
    """True for a single node: a leaf, but also None or an empty container."""
    return treedef.num_nodes == 1


def treedef_children(treedef):
    return treedef.children()


def treedef_tuple(treedefs):
    """The treedef of a tuple whose children have the given treedefs."""
    return PyTreeDef(_registry[tuple], tuple, None, treedefs)


def all_leaves(iterable, is_leaf=None):
    """True when no element of `iterable` is a pytree node (None and () are nodes, so they are not leaves)."""
    items = list(iterable)
    leaves = tree_leaves(items, is_leaf)
    return len(leaves) == len(items) and all(item is leaf for item, leaf in zip(items, leaves))


def _flatten_with_path(x, path, is_leaf, leaves):
    if is_leaf is not None and is_leaf(path, x):
        leaves.append((path, x))
        return _LEAF
    kind = _kind_of(x)
    if kind is None:
        leaves.append((path, x))
        return _LEAF
    keyed_children, node_data = kind.flatten_with_keys(x)
    return PyTreeDef(kind, type(x), node_data,
                     [_flatten_with_path(c, (*path, k), is_leaf, leaves) for k, c in keyed_children])


def tree_flatten_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    """Like tree_flatten, but each leaf comes as (key path, leaf); is_leaf may take (path, x)."""
    if is_leaf is not None and not is_leaf_takes_path:
        is_leaf_of_x = is_leaf
        is_leaf = lambda path, x: is_leaf_of_x(x)
    leaves = []
    treedef = _flatten_with_path(tree, (), is_leaf, leaves)
    return leaves, treedef


def tree_leaves_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    return tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)[0]


# ---------------------------------------------------------------------------------------------------------------
# Registering new node types.


def _register(nodetype, kind):
    if nodetype in _registry:
        raise ValueError(_with_hint(f"Duplicate custom PyTreeDef type registration for {nodetype}.",
                                   "register a type once, right after its class is defined: a second "
                                   "registration of the same class is refused."))
    _registry[nodetype] = kind


def register_pytree_node(nodetype, flatten_func, unflatten_func, flatten_with_keys_func=None):
    """Make `nodetype` a node: flatten_func(x) -> (children, aux_data); unflatten_func(aux_data, children) -> x.

    aux_data is kept in the treedef, so it should be hashable and comparable with ==."""
    flatten_func = _checked_flatten(flatten_func)
    _register(nodetype, _NodeKind("custom", flatten_func, unflatten_func,
                                  flatten_with_keys_func or _with_index_keys(flatten_func)))


def _checked_flatten(flatten_func):
    """A custom node's flatten, refusing (with JAX's error) anything but a (children, aux_data)
    tuple; the children may be any iterable (a list is fine)."""
    def flatten(x):
        out = flatten_func(x)
        if type(out) is not tuple or len(out) != 2:
            raise ValueError(_with_hint("The to_iterable function for a custom PyTree node should return a "
                                       f"(children, aux_data) tuple, got {out}", _FLATTEN_HINT))
        try:
            iter(out[0])
        except TypeError:
            raise ValueError(_with_hint("The to_iterable function for a custom PyTree node should return a "
                                       f"(children, aux_data) tuple where 'children' is iterable, got {out}",
                                       _FLATTEN_HINT)) from None
        return out
    return flatten


_FLATTEN_HINT = ("flatten returns one pair, a tuple: return (children, aux_data), with children a tuple of the "
                 "arrays and subtrees, and aux_data the static rest (or None).")


def register_pytree_with_keys(nodetype, flatten_with_keys, unflatten_func, flatten_func=None):
    """Like register_pytree_node, but the flatten function names each child with a key: ([(key, child)], aux)."""
    if flatten_func is None:
        def flatten_func(x):
            keyed_children, node_data = flatten_with_keys(x)
            return [c for _, c in keyed_children], node_data
    _register(nodetype, _NodeKind("custom", flatten_func, unflatten_func, flatten_with_keys))


def register_pytree_node_class(cls):
    """Decorator: register a class by its `tree_flatten` method and `tree_unflatten` classmethod."""
    register_pytree_node(cls, lambda x: x.tree_flatten(), cls.tree_unflatten)
    return cls


def register_pytree_with_keys_class(cls):
    """Decorator: register a class by its `tree_flatten_with_keys` method and `tree_unflatten` classmethod."""
    flatten_func = (lambda x: x.tree_flatten()) if hasattr(cls, "tree_flatten") else None
    register_pytree_with_keys(cls, lambda x: x.tree_flatten_with_keys(), cls.tree_unflatten, flatten_func)
    return cls


def register_static(cls):
    """Decorator: instances of `cls` are nodes with no children; the whole object is node data (static under jit)."""
    register_pytree_with_keys(cls, lambda x: ((), x), lambda x, _: x)
    return cls


def register_dataclass(nodetype, data_fields=None, meta_fields=None, drop_fields=()):
    """Register a dataclass: data fields become children, meta fields node data.

    Without field lists, a field is meta when its metadata says static=True: field(metadata=dict(static=True))."""
    if data_fields is None or meta_fields is None:
        if (data_fields is None) != (meta_fields is None):
            raise TypeError(_with_hint("register_dataclass: data_fields and meta_fields must both be specified"
                            f" when either is specified. Got {data_fields=} {meta_fields=}.",
                "give both data_fields and meta_fields, or neither (for a dataclass)."))
        if not _dataclasses.is_dataclass(nodetype):
            raise TypeError(_with_hint("register_dataclass: data_fields and meta_fields are required when"
                            f" nodetype is not a dataclass. Got {nodetype=}.",
                "for a class that is not a dataclass, list its data_fields and meta_fields."))
        fields = _dataclasses.fields(nodetype)
        data_fields = [f.name for f in fields if not f.metadata.get("static", False)]
        meta_fields = [f.name for f in fields if f.metadata.get("static", False)]
    data_fields, meta_fields = tuple(data_fields), tuple(meta_fields)
    _check_dataclass_fields(nodetype, data_fields, meta_fields, drop_fields)

    def flatten(x):
        return tuple(getattr(x, n) for n in data_fields), tuple(getattr(x, n) for n in meta_fields)

    def flatten_with_keys(x):
        return [(GetAttrKey(n), getattr(x, n)) for n in data_fields], tuple(getattr(x, n) for n in meta_fields)

    def unflatten(meta, data):
        return nodetype(**dict(zip(meta_fields, meta)), **dict(zip(data_fields, data)))

    _register(nodetype, _NodeKind("dataclass", flatten, unflatten, flatten_with_keys))
    return nodetype


def _check_dataclass_fields(nodetype, data_fields, meta_fields, drop_fields):
    """Every field that __init__ takes must be data or meta (else unflatten could not call the constructor)."""
    if _dataclasses.is_dataclass(nodetype):
        init_fields = {f.name for f in _dataclasses.fields(nodetype) if f.init} - set(drop_fields)
        given = {*data_fields, *meta_fields}
        if given != init_fields:
            msg = "data_fields and meta_fields must include all dataclass fields with ``init=True`` and only them."
            if missing := init_fields - given:
                msg += f" Missing fields: {missing}. Add them to drop_fields to suppress this error."
            if unexpected := given - init_fields:
                msg += f" Unexpected fields: {unexpected}."
            raise ValueError(_with_hint(msg,
                "list every field that __init__ takes once, in data_fields (arrays) or meta_fields (static "
                "values)."))
    if overlap := set(data_fields) & set(meta_fields):
        raise ValueError(_with_hint(f"data_fields and meta_fields must not overlap. Overlapping fields: {overlap}.",
            "a field is either data (traced) or meta (static), not both."))


# ---------------------------------------------------------------------------------------------------------------
# Functions over trees.


def tree_map(f, tree, *rest, is_leaf=None):
    """Apply f to the leaves of `tree` and the matching subtrees of each of `rest`.

    `tree` is a prefix of every tree in `rest`: where `tree` has a leaf, the others may hold whole subtrees."""
    leaves, treedef = tree_flatten(tree, is_leaf)
    all_leaves = [leaves] + [_flatten_up_to(treedef, tree, other, is_leaf, "tree_map tree") for other in rest]
    return treedef.unflatten(_call_on_leaves(f, xs) for xs in zip(*all_leaves))


def _call_on_leaves(f, xs):
    """f(*xs); a None of a later tree is a leaf there (only the first tree's None is an empty subtree),
    which f may not expect: say so when it fails on one."""
    try:
        return f(*xs)
    except TypeError as err:
        if type(err) is TypeError and any(x is None for x in xs[1:]):
            raise TypeError(_with_hint(str(err), "None is an empty subtree in the first tree only: in the others "
                                      "it reaches f as a leaf. Put None in the same places in every tree, or "
                                      "handle None in f.")) from err
        raise


def tree_map_with_path(f, tree, *rest, is_leaf=None, is_leaf_takes_path=False):
    """Like tree_map, but f also gets each leaf's key path as its first argument."""
    path_leaves, treedef = tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)
    is_leaf_of_x = None if is_leaf_takes_path else is_leaf
    others = [_flatten_up_to(treedef, tree, other, is_leaf_of_x, "tree_map_with_path tree") for other in rest]
    return treedef.unflatten(f(path, leaf, *xs) for (path, leaf), *xs in zip(path_leaves, *others))


def _flatten_up_to(treedef, tree, other, is_leaf, name):
    """treedef.flatten_up_to(other), but a mismatch is explained by walking `tree` and `other` side by side."""
    try:
        return treedef.flatten_up_to(other)
    except ValueError:
        message = _prefix_error(name, tree, other, is_leaf)
        if message is None:
            raise
        raise ValueError(_with_hint(message, f"{name.split()[0]} needs every later tree to have the first tree's "
                                   "structure (the same containers, lengths and dict keys), or to extend it "
                                   "at its leaves.")) from None


def _prefix_error(name, prefix, full, is_leaf, path=()):
    """Where `full` fails to extend `prefix`, worded as JAX's tree_map words it; None if no such place is found."""
    if (is_leaf is not None and is_leaf(prefix)) or _kind_of(prefix) is None:
        return None  # a leaf is a prefix of anything

    def header(problem):
        return (f"pytree structure error: {problem} at key path\n    {name}{keystr(path)}\n"
                f"At that key path, the prefix pytree {name} has a subtree of type")

    if type(prefix) is not type(full):
        return (header("different types") + f"\n    {type(prefix)}\n"
                f"but at the same key path the full pytree has a subtree of different type\n    {type(full)}.")
    kind = _kind_of(prefix)
    prefix_pairs, prefix_data = kind.flatten_with_keys(prefix)
    full_pairs, full_data = kind.flatten_with_keys(full)
    prefix_pairs, full_pairs = list(prefix_pairs), list(full_pairs)
    if isinstance(prefix, (list, tuple)):
        if len(prefix) != len(full):
            seq = type(prefix).__name__
            return (header(f"different lengths of {seq}") + f" {seq} of length {len(prefix)}, but the full "
                    f"pytree has a subtree of the same type but of length {len(full)}.")
    elif len(prefix_pairs) != len(full_pairs):
        return header("different numbers of pytree children") + _children_difference(prefix, prefix_pairs, full_pairs)
    if prefix_data != full_data:
        before, after = str(prefix_data), str(full_data)
        diff = _textwrap.indent("\n".join(_difflib.ndiff(before.splitlines(), after.splitlines())), prefix="    ")
        return (header("different pytree metadata") + f"\n    {type(prefix)}\nwith metadata\n    {before}\n"
                f"but at the same key path the full pytree has a subtree of the same type but with metadata\n"
                f"    {after}\nso the diff in the metadata at these pytree nodes is\n{diff}")
    for (key, prefix_child), (_, full_child) in zip(prefix_pairs, full_pairs):
        # is_leaf goes down too (JAX 0.10 drops it below the root, and may blame a subtree is_leaf made a leaf).
        message = _prefix_error(name, prefix_child, full_child, is_leaf, (*path, key))
        if message is not None:
            return message
    return None


def _children_difference(prefix, prefix_pairs, full_pairs):
    prefix_keys, full_keys = [k for k, _ in prefix_pairs], [k for k, _ in full_pairs]
    show = lambda keys: " ".join(map(_simple_str, keys))
    text = (f"\n    {type(prefix)}\nwith {len(prefix_keys)} child keys\n    {show(prefix_keys)}\n"
            f"but at the same key path the full pytree has a subtree of the same type but with "
            f"{len(full_keys)} child keys\n    {show(full_keys)}\n")
    try:
        return text + f"so the symmetric difference on key sets is\n    {show(set(prefix_keys) ^ set(full_keys))}"
    except TypeError:  # unhashable keys
        return text


_NO_INITIALIZER = object()


def tree_reduce(function, tree, initializer=_NO_INITIALIZER, is_leaf=None):
    """_functools.reduce over the leaves."""
    leaves = tree_leaves(tree, is_leaf)
    if initializer is _NO_INITIALIZER:
        if not leaves:
            raise TypeError(_with_hint("reduce() of empty iterable with no initial value",
                                      "this tree has no leaves: give tree_reduce an initializer, e.g. "
                                      "tree_reduce(f, tree, 0)."))
        return _functools.reduce(function, leaves)
    return _functools.reduce(function, leaves, initializer)


def tree_all(tree, *, is_leaf=None):
    """True when every leaf is truthy (and for a tree with no leaves)."""
    return all(tree_leaves(tree, is_leaf))


def tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose):
    """Turn an outer tree of inner trees into an inner tree of outer trees (a list of pairs into a pair of lists).

    inner_treedef=None takes it from the first inner tree."""
    leaves, treedef = tree_flatten(pytree_to_transpose)
    if inner_treedef is None:
        inner_treedef = tree_structure(outer_treedef.flatten_up_to(pytree_to_transpose)[0])
    n_inner, n_outer = inner_treedef.num_leaves, outer_treedef.num_leaves
    if treedef.num_leaves != n_inner * n_outer:
        raise TypeError(_with_hint(f"Mismatch\n{treedef}\n != \n{outer_treedef.compose(inner_treedef)}",
                                  "the tree must be the outer structure with the inner one at each leaf: build "
                                  "inner_treedef from one inner element, e.g. tree_structure(tree[0]), or pass "
                                  "None."))
    rows = [leaves[i * n_inner:(i + 1) * n_inner] for i in range(n_outer)]
    return inner_treedef.unflatten([outer_treedef.unflatten(column) for column in zip(*rows)])


# ---------------------------------------------------------------------------------------------------------------
# Partial: a function with some arguments bound, that can cross a transformation boundary as a pytree.


class _HashableCallableShim:
    """Holds an inner _functools.partial whole, so Partial does not merge its arguments into the outer one."""

    def __init__(self, fun):
        self.fun = fun

    def __call__(self, *args, **kwargs):
        return self.fun(*args, **kwargs)

    def __hash__(self):
        return hash(self.fun)

    def __eq__(self, other):
        return self.fun == (other.fun if isinstance(other, _HashableCallableShim) else other)

    def __repr__(self):
        return f"_HashableCallableShim({self.fun!r})"


class Partial(_functools.partial):
    """_functools.partial as a pytree: the function is node data (static), the bound arguments are the children."""

    def __new__(cls, func, *args, **kwargs):
        if isinstance(func, _functools.partial):
            func = _HashableCallableShim(func)
        return super().__new__(cls, func, *args, **kwargs)


register_pytree_node(Partial, lambda p: ((p.args, p.keywords), p.func),
                     lambda func, children: Partial(func, *children[0], **children[1]))


# ---------------------------------------------------------------------------------------------------------------
# The rest of JAX's tree_util: key-path types, the registry, one level of flattening, broadcasting.

KeyEntry = _typing.TypeVar("KeyEntry", bound=_typing.Any)
KeyPath = tuple[KeyEntry, ...]


class _PyTreeRegistry:
    """The registry of node types (JAX's default_registry): which types are nodes, and how one
    node comes apart."""

    def is_node(self, typ):
        return typ in _registry or (issubclass(typ, tuple) and hasattr(typ, "_fields"))

    # The containers' children come as JAX gives them: a list for lists, namedtuples and registered
    # types, a tuple for tuples, dicts and None; with keys, a tuple of pairs for the built-in containers.
    def flatten_one_level(self, tree):
        kind = _kind_of(tree)
        if kind is None:
            return None
        children, node_data = kind.flatten(tree)
        as_list = kind.name in ("list", "namedtuple", "custom")
        return (list(children) if as_list else tuple(children)), node_data

    def flatten_one_level_with_keys(self, tree):
        kind = _kind_of(tree)
        if kind is None:
            return None
        pairs, node_data = kind.flatten_with_keys(tree)
        builtin = kind.name in ("list", "tuple", "dict", "None")
        return (tuple(pairs) if builtin else list(pairs)), node_data


default_registry = _PyTreeRegistry()


def is_tree_node(typ):
    """Whether values of type `typ` are pytree nodes (registered types, containers, namedtuples)."""
    return default_registry.is_node(typ)


def _one_level(tree, split):
    out = split(tree)
    if out is None:
        raise ValueError(_with_hint(f"can't tree-flatten type: {type(tree)}",
                                    "only pytree nodes (containers and registered types) have children."))
    return out


def flatten_one_level(tree):
    """The children of the root node and its node data, without flattening further."""
    return _one_level(tree, default_registry.flatten_one_level)


def flatten_one_level_with_keys(tree):
    """As flatten_one_level, each child paired with its key."""
    return _one_level(tree, default_registry.flatten_one_level_with_keys)


def tree_broadcast(prefix_tree, full_tree, is_leaf=None):
    """`full_tree`'s structure, each leaf replaced by the leaf of `prefix_tree` above it."""
    prefix_leaves, prefix_def = tree_flatten(prefix_tree, is_leaf)
    subtrees = _flatten_up_to(prefix_def, prefix_tree, full_tree, is_leaf, "broadcast_prefix prefix_tree")
    repeated = [x for x, sub in zip(prefix_leaves, subtrees) for _ in range(tree_structure(sub).num_leaves)]
    return tree_structure(full_tree).unflatten(repeated)


def tree_reduce_associative(operation, tree, *, identity=_NO_INITIALIZER, is_leaf=None):
    """Combine the leaves pairwise as a balanced tree, (a + b) + (c + d), which gives the same
    result as a left fold only because `operation` is associative."""
    def combine(xs):
        if not xs:
            if identity is _NO_INITIALIZER:
                raise TypeError(_with_hint("Must specify identity for parallel reduction of empty sequence.",
                                           "pass an identity for trees that may have no leaves."))
            return identity
        if len(xs) == 1:
            return xs[0]
        half = len(xs) // 2
        return operation(combine(xs[:half]), combine(xs[half:]))
    return combine(tree_leaves(tree, is_leaf))
