"""Pages where a signed-in person makes, lists and revokes their personal access tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from peermentor.api import selectors, services
from peermentor.api.forms import TokenForm
from peermentor.api.models import ApiToken
from peermentor.core.authorization import get_for_user_or_404


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """My tokens, and a form to make one; a new token's secret is shown here once."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
                request=request,
            )
        except services.TokenError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your token is made. Copy it now: it is not shown again.")
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": selectors.tokens_of(user=request.user),
        "now": timezone.now(),
        "docs_url": reverse("api-v1:openapi-view"),
    }
    status = 400 if request.method == "POST" and secret is None else 200
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Stop one of my tokens from working."""
    token = get_for_user_or_404(request.user, ApiToken, see="api.manage_token", pk=token_id)
    try:
        services.token_revoke(token=token, actor=request.user, request=request)
        messages.success(request, f"The token “{token.name}” no longer works.")
    except services.TokenError as error:
        messages.error(request, str(error))
    return redirect("api_tokens")
