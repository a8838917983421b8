"""A reopened attempt is now continued by its candidate and graded once more, instead of being set
aside: `voided_at` becomes `reopened_at`, and audit events keep what a reopening changed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0003_dashboard_indexes"),
    ]

    operations = [
        migrations.RenameField(model_name="examattempt", old_name="voided_at", new_name="reopened_at"),
        migrations.AlterField(
            model_name="examattempt",
            name="reopened_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Set when staff reopen it: the candidate continues it and it is graded once more.",
                null=True,
                verbose_name="reopened",
            ),
        ),
        migrations.AddField(
            model_name="examauditevent",
            name="details",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
