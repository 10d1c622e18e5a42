"""工作台: each role's home page, made of the tiles the apps declare (``zhifa.workbench.menu``)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.core import clock
from zhifa.registry.access import request_actor

from . import menu


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What each role needs first when the day starts: every tile with something for the actor,
    or a notice when the account has no role yet."""
    actor = request_actor(request)
    today = clock.today()
    context = {"today": today, "nav": "home", **menu.home_context(actor, today)}
    return render(request, "workbench/home.html", context)
