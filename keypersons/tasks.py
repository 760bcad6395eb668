"""The register's periodic task: a thin wrapper over keypersons.services."""

from celery import shared_task

from keypersons.services import keypersons_alert_overdue


@shared_task(name="keypersons.alert_overdue", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def alert_overdue() -> int:
    """Hourly (a beat entry): tell the keepers and HQ of each follow-up overdue, once per
    overdue period. Safe to run twice, or twice at once (services.keypersons_alert_overdue)."""
    return keypersons_alert_overdue()
