"""Checks for lesson 04's exercises (vmap): notebooks/source/04_vmap.ipynb."""
from course import checks
from course.checks import jax, jnp


# 04.1: every distance between two sets of points, from the distance of two points.

def _pairwise_distances(xs, ys):
    return jnp.sqrt(jnp.sum((xs[:, None, :] - ys[None, :, :]) ** 2, axis=-1))


checks.function("04.1", _pairwise_distances, checks.random_arrays((3, 2), (4, 2)), transforms=("jit",),
                hints=["Start from one point against all of `ys`: `jax.vmap(distance, in_axes=(None, 0))` keeps "
                       "`x` whole and cuts `ys` into its rows.",
                       "That gives a function of one `x` and all `ys`. vmap it again, this time cutting `xs` into "
                       "rows and keeping `ys` whole.",
                       "The outer vmap makes the rows of the result, so its axis belongs to `xs`: "
                       "`in_axes=(0, None)` outside, `(None, 0)` inside."])


# 04.2: the shape of vmap(f, in_axes=(1, None), out_axes=1)(A, B) with A: (3, 8), B: (2, 3), f(a, b) = b @ a.

checks.predict("04.2", (2, 8), kind="shape",
               hints=["`in_axes=(1, None)`: example i gets the column `A[:, i]` and the whole of `B`. "
                      "How many examples are there?",
                      "For one example, `b @ a` is (2, 3) @ (3,). What shape is that?",
                      "The results of all examples are stacked along a new axis, placed at position `out_axes`."])


# 04.3: a layer applied to a batch of inputs, with the weights shared.

def _batched_layer(W, xs):
    return jnp.tanh(xs @ W.T)


checks.fix("04.3", _batched_layer, checks.random_arrays((3, 2), (4, 2)),
           hints=["The message lists the axes vmap tried to map, with their sizes. Which argument should not be "
                  "cut into examples at all?",
                  "`None` in `in_axes` passes an argument whole to every example.",
                  "`jax.vmap(layer, in_axes=(None, 0))`: the same `W` for every row of `xs`."])


# 04.4: per-example gradients of a small model with a dict of parameters, compared with a loop over the examples.

def _squared_error(params, x, y):
    prediction = jnp.tanh(jnp.dot(params["w"], x) + params["b"])
    return (prediction - y) ** 2


_one_gradient = jax.jit(jax.grad(_squared_error))


def _looped_gradients(w, b, xs, ys):
    params = {"w": w, "b": b}
    gradients = [_one_gradient(params, xs[i], ys[i]) for i in range(len(xs))]
    return {name: jnp.stack([gradient[name] for gradient in gradients]) for name in params}


checks.extend("04.4", lambda per_example_grads, w, b, xs, ys: per_example_grads(_squared_error)({"w": w, "b": b},
                                                                                                 xs, ys),
              _looped_gradients, checks.random_arrays((2,), (), (4, 2), (4,)),
              label="per_example_grads(loss)(params, xs, ys)",
              input_names=('params["w"]', 'params["b"]', "xs", "ys"),
              hints=["`jax.grad(loss)` is already the gradient for one example: a dict like `params`.",
                     "Wrap it in `jax.vmap`: the parameters are shared by all examples, the inputs and the "
                     "targets are cut into rows.",
                     "`jax.vmap(jax.grad(loss), in_axes=(None, 0, 0))`."])
