from django.apps import AppConfig


class TransfersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhifa.transfers"
    verbose_name = "移送涉嫌犯罪案件"
