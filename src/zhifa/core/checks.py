from django.conf import settings
from django.core.checks import Error, register


@register()
def record_hash_available(app_configs, **kwargs):
    """The full-process record cannot be written without its digest algorithm."""
    from zhifa.core.ledger import available_algorithm

    algorithm = settings.ZHIFA.get("RECORD_HASH", "sm3")
    if available_algorithm(algorithm):
        return []
    return [Error(f"本机 OpenSSL 不支持摘要算法 {algorithm}，全过程记录无法写入。", hint="设置 ZHIFA_RECORD_HASH=sha256 或升级 OpenSSL。", id="zhifa.E001")]
