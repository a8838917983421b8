"""Finding each installed app's part of a whole-site job (the demo, the benchmark dataset): the
app's module `<app>.<name>`, or `<app>.seed.<name>` for an app that keeps its seeding in a
package (certifications)."""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(name: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """Each installed app's module called `name`, in INSTALLED_APPS order; apps without one are
    skipped, but an import error inside a module that exists is raised."""
    for config in apps.get_app_configs():
        for dotted in (f"{config.name}.{name}", f"{config.name}.seed.{name}"):
            try:
                module = import_module(dotted)
            except ModuleNotFoundError as error:
                if error.name not in (dotted, dotted.rpartition(".")[0]):
                    raise
                continue
            yield config, module
            break
