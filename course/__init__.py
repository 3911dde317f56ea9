"""The course's machinery: run a cell under JAX and under jaxlite, and exercises that check themselves."""


def load_ipython_extension(ipython):
    """`%load_ext course` is `%load_ext course.sidebyside`."""
    from course.sidebyside import load_ipython_extension as load_sidebyside

    load_sidebyside(ipython)
