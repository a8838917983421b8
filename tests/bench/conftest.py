import os

import pytest
from django.core.management import call_command
from django.db import transaction

SCALE = 0.001


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    """One generated dataset at scale 0.001 for the module's tests, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        with open(os.devnull, "w") as quiet:
            call_command("generate_dataset", scale=SCALE, seed=7, stdout=quiet)
        yield SCALE
        transaction.set_rollback(True)
