"""Background work for bulk certificate downloads: building a ZIP and the hourly sweep of
expired ones. Task names are pinned, as for the other certification tasks."""

from celery import shared_task

from certifications.exports import archives


@shared_task(name="certifications.tasks.certificate_archive_build", bind=True, max_retries=3)
def certificate_archive_build(self, archive_id: int) -> int:
    """Build the archive; a failure is retried, and after the last try the archive is marked
    failed so its page says so instead of waiting for ever. Returns how many PDFs it holds."""
    try:
        return archives.certificate_archive_build(archive_id=archive_id).total
    except Exception as error:
        if self.request.retries >= self.max_retries:
            archives.certificate_archive_fail(archive_id=archive_id)
            raise
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task(name="certifications.tasks.certificate_archives_sweep")
def certificate_archives_sweep() -> int:
    return archives.certificate_archives_sweep()
