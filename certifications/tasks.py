"""Periodic work for exams."""

from celery import shared_task

from certifications import services


@shared_task
def attempts_submit_overdue() -> int:
    """Submit attempts whose deadline has passed with the answers saved by then (the beat runs it
    every minute; safe to run twice, since grading happens once per attempt)."""
    return services.attempts_submit_overdue()
