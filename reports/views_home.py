"""The home page: what needs the signed-in user now (reports.home), above the cards of what each role can do."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reports.home import home_for


@login_required
def home(request):
    return render(request, "accounts/home.html", {"needs": home_for(request.user)})
