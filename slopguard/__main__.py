"""`python -m slopguard` runs the command line."""

from slopguard.cli import main

raise SystemExit(main())
