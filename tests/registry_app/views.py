from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.views import View
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

DEMO_CALLS: list[str] = []


class ThingsView(View):
    def get(self, request):
        return HttpResponse("registry app things")


class ThingViewSet(viewsets.GenericViewSet):
    queryset = Group.objects.none()
    permission_classes = [IsAuthenticated]

    def list(self, request):
        return Response({"registry_app": "things"})


class PingView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"registry_app": "ping"})


def demo_seed(context) -> dict:
    DEMO_CALLS.append("seed")
    return {"things": 1}


def demo_reset() -> None:
    DEMO_CALLS.append("reset")
