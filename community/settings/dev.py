"""Local development: `make run`. Debug on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# `make run` serves the site on 127.0.0.1; "localhost" is another host to the browser (its own
# cookies), which makes it the SCORM content origin on one machine.
SCORM_CONTENT_ORIGIN = env("SCORM_CONTENT_ORIGIN", default=f"http://localhost:{env('PORT', default='') or '8000'}")
