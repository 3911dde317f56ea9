"""Checks for lesson 02's exercises (grad): notebooks/source/02_grad.ipynb."""
import numpy as np

from course import checks
from course.checks import jax, jnp


# 02.1: a Newton step, on functions whose derivative stays away from zero on [-2, 2] (so that a student's
# equivalent formula does not lose its last digits to a division by almost nothing).

def cubic(x):
    return x**3 + x - 1


def wave(x):
    return x + 0.5 * jnp.sin(x) - 1


def growth(x):
    return jnp.exp(x) - 2


def _newton_step(f, x):
    return x - f(x) / jax.grad(f)(x)


def _functions_and_points(rng):
    return [(f, np.asarray(rng.uniform(-2, 2), dtype=np.float32)) for f in (cubic, wave, growth)]


checks.function("02.1", _newton_step, _functions_and_points,
                hints=["One Newton step moves x to x - f(x) / f'(x).",
                       "`jax.grad(f)` is the function f'; call it at `x`.",
                       "`return x - f(x) / jax.grad(f)(x)`"])


# 02.2: the structure of grad(f, argnums=(0, 1)).

checks.predict("02.2", "c", kind="choice", choices=["a", "b", "c", "d"],
               hints=["`argnums` names the arguments to differentiate; the others (here `x`) get no gradient.",
                      "With a tuple of argnums, grad returns one gradient per listed argument, in a tuple.",
                      "Each gradient has the shape of its own argument."])


# 02.3: the output of value_and_grad for f(x) = x**3 - x at 2.

checks.predict("02.3", (6.0, 11.0), kind="value",
               hints=["value_and_grad returns a pair: first the value, then the gradient.",
                      "f(2) = 2³ - 2, and f'(x) = 3x² - 1."])


# 02.4: forces from an energy, at many positions at once.

def _force(positions):
    return -(positions - jnp.sin(positions))


checks.fix("02.4", _force, checks.random_arrays((5,), low=-3, high=3),
           hints=["`energy` maps one position to one number; `grad(energy)` wants to be called on one position.",
                  "`jax.vmap(f)` calls f on each element of a vector.",
                  "Either `jax.vmap(jax.grad(energy))`, or the grad of `jnp.sum(energy(positions))`: "
                  "each position only changes its own term of the sum."])


# 02.5: value_and_grad from vjp.

def _sin_dot(x):
    return jnp.sum(jnp.sin(x) * x)


checks.extend("02.5", lambda my_value_and_grad, x: my_value_and_grad(_sin_dot)(x),
              lambda x: jax.value_and_grad(_sin_dot)(x), checks.random_arrays((3,)),
              label="my_value_and_grad(f)(x)", build_from="vjp",
              without=("grad", "value_and_grad", "jacrev", "jacfwd"),
              hints=["`y, pullback = jax.vjp(f, x)` gives the value and a function that maps a cotangent of y "
                     "to a tuple: one cotangent per argument of f.",
                     "For a scalar output the gradient is the pullback of 1: `jnp.ones_like(y)`.",
                     "The pullback returns a tuple with one entry per argument; unpack it with `(g,) = ...`."])
