from django.shortcuts import render
from django.urls import path
from django.utils import timezone


def bare(request):
    return render(request, "bare.html", {"title": "Bare", "now": timezone.now()})


urlpatterns = [path("", bare, name="bare")]
