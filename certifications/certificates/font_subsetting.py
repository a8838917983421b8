"""One clear line, once per process, when certificate PDFs subset their fonts without HarfBuzz.

Without libharfbuzz-subset WeasyPrint falls back to fontTools (several times slower; see
`certifications.certificates.pdf`) and logs a warning for every font of every PDF, dozens on a `make run`
that renders the demo's certificates. The filter lets the first through, reworded to say what
to install, and drops the rest; `CertificationsConfig.ready()` puts it on WeasyPrint's logger."""

import logging
import threading

FONTTOOLS_FALLBACK_PREFIX = "Using fontTools instead of HarfBuzz-Subset"
INSTALL_HINT = (
    "Certificate PDFs subset their fonts with fontTools, several times slower than with HarfBuzz: "
    "install libharfbuzz-subset0 (Debian: apt-get install libharfbuzz-subset0, or make system-packages)."
)


class FontToolsFallbackOnce(logging.Filter):
    """Passes the first fontTools-fallback warning, as `INSTALL_HINT`, and no later one."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self.warned = False

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(FONTTOOLS_FALLBACK_PREFIX):
            return True
        with self._lock:
            if self.warned:
                return False
            self.warned = True
        record.msg, record.args = INSTALL_HINT, ()
        return True


fonttools_fallback_once = FontToolsFallbackOnce()


def fonttools_fallback_warn_once() -> None:
    """Install the filter on WeasyPrint's logger (idempotent: a logger keeps one copy of a filter)."""
    logging.getLogger("weasyprint").addFilter(fonttools_fallback_once)
