"""Background work for exams. Task names are pinned so that queued tasks and the beat schedule
keep their names whatever module holds them."""

from celery import shared_task

from certifications.exams import services


@shared_task(name="certifications.tasks.attempts_submit_overdue")
def attempts_submit_overdue() -> int:
    """Submit attempts whose deadline has passed with the answers saved by then (the beat runs it
    every minute; safe to run twice, since grading happens once per attempt)."""
    return services.attempts_submit_overdue()
