"""``zhifa task_worker``: the task worker (文书生成、案件预警) — django-tasks' ``db_worker`` with the
same options, which first queues again the tasks a killed worker left "running" (older than the
lease, ``documents.tasks.reclaim_stale``), so that a restart after ``kill -9`` picks them up.

    zhifa task_worker --queue-name documents,alerts --no-reload
"""
from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from zhifa.documents import tasks


class Command(DbWorker):
    help = "后台任务进程（文书生成、案件预警）：启动时先收回已中止的工作进程遗留的任务，再依次执行队列中的任务。"

    def handle(self, *args, **options):
        reclaimed = tasks.reclaim_stale()
        if reclaimed:
            self.stdout.write(f"收回超时未完成的后台任务：{reclaimed} 个，已重新排队。")
        return super().handle(*args, **options)
