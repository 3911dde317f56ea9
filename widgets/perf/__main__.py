"""`python -m widgets.perf ...`: see widgets/perf/cli.py."""
from widgets.perf.cli import main

main()
