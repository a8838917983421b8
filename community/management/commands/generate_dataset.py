"""Fill the database with a generated, reproducible dataset for benchmarks: every installed app
that has a `dataset` module with a `generate()` function adds its part, in INSTALLED_APPS order
(community first, so later apps find vendors, products and people). Bulk inserts throughout.

Meant for an empty, migrated database of its own (`make bench` uses one): it refuses to run on a
database that already has generated data."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from community.app_modules import app_modules
from community.dataset import statistics_refresh
from community.models import User


class Command(BaseCommand):
    help = "Generate a benchmark dataset (scale 1: 50,000 engineers, 400,000 forum posts...)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01, help="1 is the full size; default 0.01.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")

    def handle(self, *args, scale: float, seed: int, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if User.objects.filter(email__endswith="@dataset.example").exists():
            raise CommandError("This database already holds a generated dataset: use a fresh database.")
        rng = random.Random(seed)
        started = time.perf_counter()
        self.stdout.write(f"Generating the dataset at scale {scale:g} (seed {seed})")
        for config, module in app_modules("dataset"):
            part_started = time.perf_counter()
            with transaction.atomic():
                result = module.generate(scale=scale, rng=rng, stdout=self.stdout)
            counts = ", ".join(f"{n:,} {name}" for name, n in result.get("counts", {}).items())
            self.stdout.write(f"  {config.verbose_name} ({time.perf_counter() - part_started:.1f} s): {counts}")
            for note in result.get("notes", []):
                self.stdout.write(f"    {note}")
        statistics_refresh()
        self.stdout.write(self.style.SUCCESS(f"Dataset ready in {time.perf_counter() - started:.1f} s"))
