"""The site's URLs plus one view that fails, to see the 500 page as a user would."""

from django.urls import path

from huxue import urls as site


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [*site.urlpatterns, path("fail/", fail)]
handler403, handler404, handler500 = site.handler403, site.handler404, site.handler500
