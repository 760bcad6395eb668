"""Where the audit trail listens: the signals of the libraries and of core that mark an
auditable event. Connected once, in AuditConfig.ready()."""


def connect() -> None:
    pass
