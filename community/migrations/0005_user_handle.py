"""Users get a unique handle to be mentioned by, filled for everyone already here from their
name (numbered when two names give the same one)."""

from django.core.validators import RegexValidator
from django.db import migrations, models

from community.handles import handle_base, handle_first_free


def fill_handles(apps, schema_editor):
    User = apps.get_model("community", "User")
    taken: set[str] = set()
    users = list(User.objects.order_by("pk").only("pk", "full_name", "email"))
    for user in users:
        base = handle_base(full_name=user.full_name, email=user.email)
        user.handle = handle_first_free(base=base, taken=taken.__contains__)
        taken.add(user.handle)
    User.objects.bulk_update(users, ["handle"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_site_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="handle",
            field=models.CharField(max_length=30, null=True, verbose_name="handle"),
        ),
        migrations.RunPython(fill_handles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="handle",
            field=models.CharField(
                help_text="How others mention you in the forums: @handle.",
                max_length=30,
                unique=True,
                validators=[RegexValidator("^[a-z0-9_]{3,30}$")],
                verbose_name="handle",
            ),
        ),
    ]
