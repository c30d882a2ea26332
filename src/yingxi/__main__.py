"""``python -m yingxi`` runs the command line."""

import sys

from yingxi.cli import main

sys.exit(main())
