"""`jaxlite.scipy`: the parts of SciPy that JAX provides, written with jaxlite.numpy and lax."""
from jaxlite.scipy import special  # noqa: F401
from jaxlite.scipy import linalg  # noqa: F401
from jaxlite.scipy import stats  # noqa: F401,E402
