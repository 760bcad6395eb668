from audit.models import AuditAction, AuditResult
from audit.services import audit_record


class RefusedAccessMiddleware:
    """Every 403 answered, page or API (a missing permission, a refused write, a refused
    form), goes into the audit trail with the address asked for. (A 404 for another
    station's object is recorded by the scoped bases, which know the object.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            audit_record(action=AuditAction.REFUSED, request=request, result=AuditResult.REFUSED,
                         detail={"path": request.path, "method": request.method, "status": 403})
        return response
