"""``python -m shopops`` runs the command line."""

from shopops.cli import main

main()
