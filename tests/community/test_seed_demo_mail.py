import io

from django.core import mail

from community.management.commands.seed_demo import Command


def test_demo_mail_goes_to_files_instead_of_flooding_the_console(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.VAR_DIR = tmp_path
    command = Command(stdout=io.StringIO())
    with command._mail_to_files():
        mail.EmailMessage("Your certificate", "Attached.", to=["holder@example.com"]).send()
    files = list((tmp_path / "demo-mail").iterdir())
    assert len(files) == 1
    assert "Your certificate" in files[0].read_text()


def test_other_backends_are_left_alone(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with Command(stdout=io.StringIO())._mail_to_files():
        mail.EmailMessage("Hello", "Body", to=["someone@example.com"]).send()
    assert [message.subject for message in mail.outbox] == ["Hello"]
