"""cells.py: running a cell under either library, and comparing what two runs showed."""
import jax

import jaxlite

from .cells import Outcome, hint_line, outcome_difference, run_cell, text_difference


def test_a_cell_imports_real_jax_or_jaxlite():
    assert run_cell("import jax\nprint(jax.__name__)", lite=False).stdout == "jax\n"
    assert run_cell("import jax\nprint(jax.__name__)", lite=True).stdout == "jaxlite\n"


def test_the_last_expression_of_a_cell_is_shown_as_its_repr():
    assert run_cell("x = 'a'\nx * 2", lite=True).stdout == "'aa'\n"


def test_a_last_expression_that_is_none_shows_nothing():
    assert run_cell("print('done')\nNone", lite=True).stdout == "done\n"


def test_an_error_ends_the_cell_and_is_shown_as_a_traceback_ends():
    outcome = run_cell("print('before')\nraise ValueError('first\\nsecond')\nprint('after')", lite=True)
    assert (outcome.stdout, outcome.error, outcome.first_line) == ("before\n", "ValueError", "first")
    assert outcome.shown() == "before\nValueError: first\n"


def test_warnings_are_shown_where_they_are_raised():
    source = "import warnings\nprint(1)\nwarnings.warn('careful\\nmore')\nprint(2)"
    assert run_cell(source, lite=True).stdout == "1\nUserWarning: careful\n2\n"


def test_a_flag_a_cell_sets_is_restored_in_both_libraries():
    source = "import jax\njax.config.update('jax_enable_x64', True)\nprint(jax.config.jax_enable_x64)"
    assert run_cell(source, lite=True).stdout == "True\n"
    assert run_cell(source, lite=False).stdout == "True\n"
    assert not jaxlite.config.read("jax_enable_x64")
    assert not jax.config.jax_enable_x64


def test_numbers_may_differ_by_float32_rounding():
    assert text_difference("[0.84147096 0.9092974 ]", "[0.841471   0.90929741]") is None


def test_numbers_beyond_float32_rounding_differ():
    assert text_difference("[0.8415 1.]", "[0.8414 1.]") == "number differs: jaxlite 0.8415, JAX 0.8414"


def test_integers_must_be_equal():
    assert text_difference("f32[3]", "f32[4]") == "number differs: jaxlite 3, JAX 4"


def test_nan_matches_only_nan_and_inf_only_the_same_inf():
    assert text_difference("[nan -inf]", "[nan -inf]") is None
    assert text_difference("nan", "0.") is not None
    assert text_difference("inf", "-inf") is not None


def test_the_padding_numpy_aligns_numbers_with_does_not_count():
    assert text_difference("Array([ 0.2312239 , -0.37146825], dtype=float32)",
                           "Array([ 0.2312239 , -0.3714683 ], dtype=float32)") is None


def test_object_addresses_do_not_count():
    assert text_difference("<function f at 0x7f00aa>", "<function f at 0x7f11bb>") is None


def test_links_and_full_stops_ending_a_line_do_not_count():
    assert text_difference("use another .at[] method.",
                           "use another .at[] method: https://docs.jax.dev/en/latest/x.html") is None


def test_words_must_be_the_same():
    assert text_difference("dtype=int32", "dtype=float32").startswith("text differs")


def test_an_error_where_jax_gives_a_value_is_a_difference():
    lite, ref = Outcome("", "TypeError", "bad"), Outcome("3\n")
    assert outcome_difference(lite, ref) == "jaxlite raises TypeError: bad"


def test_a_value_where_jax_raises_is_a_difference():
    lite, ref = Outcome("3\n"), Outcome("", "TypeError", "bad")
    assert outcome_difference(lite, ref) == "JAX raises TypeError: bad; jaxlite does not"


def test_errors_must_be_of_the_same_class():
    lite, ref = Outcome("", "ValueError", "bad"), Outcome("", "TypeError", "bad")
    assert outcome_difference(lite, ref) == "jaxlite raises ValueError, JAX TypeError: bad"


def test_errors_are_compared_by_their_first_line():
    lite = Outcome("", "TypeError", "bad input\nHint: use a float.")
    assert outcome_difference(lite, Outcome("", "TypeError", "bad input\nmore of JAX's text")) is None


def test_the_hint_is_the_last_line_when_it_starts_with_hint():
    assert hint_line("bad input\nHint: use a float.\n") == "Hint: use a float."
    assert hint_line("bad input\nsee the docs") is None
