"""Run the command line: ``python -m questionnaire``."""

import os
import sys

from .cli import main

try:
    sys.exit(main())
except BrokenPipeError:
    # The reader (for example `head`) stopped early; that is not an error worth a traceback.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)
