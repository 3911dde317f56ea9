"""The course's machinery: run a cell under JAX and under jaxlite, and exercises that check themselves."""
