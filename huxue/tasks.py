from celery import shared_task
from django.db import connection


@shared_task(name="huxue.ping")
def ping() -> dict:
    """A smoke task: proves a worker is alive and can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"pong": True, "database": one == 1, "vendor": connection.vendor}
