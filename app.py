"""The WSGI entry point: ``flask --app app run`` or ``gunicorn app:app``."""

import sys

from questionnaire import create_app

# `flask --app app doctor` must run even when the configuration is broken: that is when it is needed.
app = create_app(diagnose="doctor" in sys.argv[1:])
