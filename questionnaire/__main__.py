"""Run the command line: ``python -m questionnaire``."""

import sys

from .cli import main

sys.exit(main())
