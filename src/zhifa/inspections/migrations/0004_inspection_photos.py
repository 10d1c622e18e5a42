"""现场照片: the photo model gets its digest, size, type, uploader, time and thumbnail (no photo
was ever stored under the earlier shape, so the defaults below only fill the schema)."""
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import zhifa.inspections.models


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0003_refused_draws_bulk_rows"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="inspectionphoto",
            options={"ordering": ["inspection_id", "uploaded_at", "id"], "verbose_name": "现场照片", "verbose_name_plural": "现场照片"},
        ),
        migrations.AlterField(
            model_name="inspectionphoto",
            name="file",
            field=models.FileField(max_length=255, upload_to=zhifa.inspections.models.photo_path, verbose_name="照片"),
        ),
        migrations.AlterField(
            model_name="inspectionphoto",
            name="inspection",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="photos", to="inspections.inspection", verbose_name="检查记录"),
        ),
        migrations.AddField(
            model_name="inspectionphoto",
            name="thumbnail",
            field=models.FileField(blank=True, max_length=255, upload_to=zhifa.inspections.models.photo_path, verbose_name="缩略图"),
        ),
        migrations.AddField(
            model_name="inspectionphoto",
            name="sha256",
            field=models.CharField(default="", max_length=64, verbose_name="SHA-256"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="inspectionphoto",
            name="size",
            field=models.BigIntegerField(default=0, verbose_name="大小（字节）"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="inspectionphoto",
            name="content_type",
            field=models.CharField(default="", max_length=40, verbose_name="类型"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="inspectionphoto",
            name="uploaded_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.officer", verbose_name="上传人"),
        ),
        migrations.AddField(
            model_name="inspectionphoto",
            name="uploaded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="上传时间"),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="inspectionphoto",
            constraint=models.UniqueConstraint(fields=("inspection", "sha256"), name="inspection_photo_unique_sha256"),
        ),
    ]
