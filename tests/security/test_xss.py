"""Every free-text field rendered back, tried with XSS payloads: none comes out executable.

The objects behind every route of the access matrix are made, then every free-text field of
every PeerMentor row is overwritten straight in the database (past any form check) with
payloads: script elements, event-handler attributes, ``javascript:`` links (in Markdown too),
SVG with ``onload``. Each page every persona may open is then parsed: no script but the
site's own static files, no ``on*`` attribute, no ``javascript:`` address, no frame or object;
and the Content-Security-Policy never allows inline scripts.
"""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from tests.access_support import OK
from tests.conftest import PERSONAS, World, client_for
from tests.test_access_matrix import MATRIX

MARK = "xss"
PAYLOAD = (
    f"<script>alert('{MARK}1')</script>\"><img src=x onerror=alert('{MARK}2')>"
    f"<svg onload=alert('{MARK}3')>'><a href=\"javascript:alert('{MARK}4')\">j</a>"
)
MARKDOWN = (
    f"{PAYLOAD}\n\n[click](javascript:alert('{MARK}5')) ![i](javascript:alert('{MARK}6')) "
    f"[up](JaVaScRiPt:alert('{MARK}7')) <iframe src=\"javascript:alert('{MARK}8')\"></iframe>\n\n"
    f'<a href="data:text/html,<script>alert(9)</script>">d</a> <details open ontoggle=alert(10)>'
)
URL_PAYLOAD = f"javascript:alert('{MARK}11')"

# Text that the code reads as data rather than shows: changing it would break the page, not
# test it (identifiers, time zones, colours, file names the storage needs, hashes).
NOT_FREE_TEXT = {
    "time_zone",
    "key",
    "slug",
    "color",
    "colour",
    "token_hash",
    "nonce",
    "guid",
    "doi",
    "pmid",
    "orcid",
    "date",
    "content_type",
    "file",
    "password",
    "email",
    "language",
    "target_type",
    "target_id",
    "ip_address",
    "uid",
    "source_format",
    "source_record",
    "format",
    "imported_from",
    "session_key",
    "session_data",
    "hash",
    "prefix",
    "secret",
    "token",
    "scopes",
    "respondent",
    "original_name",
    "rule",
    "action",
    "kind",
    "level",
    "method",
}
URL_SCHEMES_REFUSED = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "object", "embed", "base", "applet"}


def _free_text_fields(model: type[models.Model]) -> list[models.Field]:
    fields = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, models.SlugField | models.EmailField | models.FilePathField):
            continue
        if field.choices or field.primary_key or field.name in NOT_FREE_TEXT:
            continue
        if field.name.endswith(("_hash", "_key", "_id", "_code", "_tz")):
            continue
        fields.append(field)
    return fields


def _value(field: models.Field) -> str:
    if isinstance(field, models.URLField):
        return URL_PAYLOAD
    text = MARKDOWN if isinstance(field, models.TextField) else PAYLOAD
    return text[: field.max_length] if field.max_length else text


def poison_everything() -> int:
    """Overwrite every free-text field of every PeerMentor row; the number of fields changed."""
    changed = 0
    for model in apps.get_models():
        if not model.__module__.startswith("peermentor."):
            continue
        for field in _free_text_fields(model):
            changed += _poison(model, field)
    return changed


def _poison(model: type[models.Model], field: models.Field) -> int:
    rows = model._default_manager.all()
    if not field.blank:
        rows = rows.exclude(**{field.name: ""})
    value = _value(field)
    try:
        with transaction.atomic():
            return rows.update(**{field.name: value})
    except IntegrityError:  # unique text (a group's name in its program): one row at a time
        count = 0
        for pk in rows.values_list("pk", flat=True):
            suffix = f" {pk}"
            cut = value[: field.max_length - len(suffix)] if field.max_length else value
            count += model._default_manager.filter(pk=pk).update(**{field.name: cut + suffix})
        return count


def executable_parts(html: str) -> list[str]:
    """What in the page could run a script that the site did not ship as a static file."""
    found: list[str] = []
    if not html.strip():
        return found
    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower().rsplit("}", 1)[-1]
        if tag == "script":
            source = element.get("src", "")
            if not source.startswith("/static/") or (element.text or "").strip():
                found.append(f"<script src={source!r}>{(element.text or '')[:60]}")
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                found.append(f"<{tag} {name}={value[:40]!r}>")
            if lowered == "srcdoc":
                found.append(f"<{tag} srcdoc>")
            if lowered in URL_ATTRIBUTES:
                address = "".join(value.split()).lower()
                if address.startswith(URL_SCHEMES_REFUSED):
                    found.append(f"<{tag} {name}={value[:40]!r}>")
    return found


def _pages(world: World) -> list[tuple[str, str, str]]:
    """(route, persona, url) of every GET page each persona may open."""
    pages = []
    for name, route in sorted(MATRIX.items()):
        if route.method != "get":
            continue
        personas = [p for p in PERSONAS if route.expected[p] == OK]
        if not personas:
            continue
        url = reverse(name, kwargs=route.kwargs(world))
        pages.extend((name, persona, url) for persona in personas)
    return pages


def test_the_checker_finds_each_payload_when_unescaped() -> None:
    """The parser check is not blind: raw payloads are all caught."""
    page = f"<html><body>{PAYLOAD}{MARKDOWN}<a href='{URL_PAYLOAD}'>x</a></body></html>"
    found = " ".join(executable_parts(page))
    for needle in ("<script", "onerror", "onload", "javascript", "<iframe>", "ontoggle"):
        assert needle in found, needle


@pytest.mark.django_db
def test_no_payload_executes_on_any_page(world: World) -> None:
    pages = _pages(world)
    _extra_objects(world)
    assert poison_everything() > 100
    problems: list[str] = []
    clients: dict[str, Any] = {}
    checked = 0
    for name, persona, url in pages:
        client = clients.setdefault(persona, client_for(world.persona(persona)))
        response = client.get(url)
        policy = response.get("Content-Security-Policy", "")
        if policy:
            scripts = _directive(policy, "script-src") or _directive(policy, "default-src")
            if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
                problems.append(f"{name}: CSP allows inline scripts: {scripts}")
        if response.status_code != OK:
            # Poisoned data may make a page refuse to render (a 500 is a bug of its own).
            assert response.status_code < 500, f"{name} as {persona}: {response.status_code}"
            continue
        kind = response.get("Content-Type", "")
        if "html" not in kind:
            continue
        body = response.content.decode()
        checked += 1
        problems.extend(f"{name} as {persona}: {part}" for part in executable_parts(body))
    assert checked > 50, checked
    assert not problems, "\n".join(problems)


def _directive(policy: str, name: str) -> str:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return " ".join(words[1:])
    return ""


def _extra_objects(world: World) -> None:
    """Objects some pages show but no route of the matrix makes: notes, milestones, memos."""
    from peermentor.goals.models import Goal, Milestone, Resource
    from peermentor.meetings.models import Meeting
    from peermentor.qualitative import services as workbench
    from tests.access_support import survey_wave
    from tests.surveys.survey_fixtures import answer

    Meeting.objects.filter(group=world.group).update(notes=MARKDOWN)
    Resource.objects.create(group=world.group, kind="link", title="Link", url="https://x.example")
    for goal in Goal.objects.all():
        Milestone.objects.get_or_create(goal=goal, title="m", defaults={"position": 1})
    wave = survey_wave(world)
    for persona in ("member", "other_member"):
        answer(wave, world.persona(persona), PAYLOAD)
    workbench.sources_bring_in(program=world.program, wave=wave, actor=world.evaluator)
    code = workbench.code_create(program=world.program, actor=world.evaluator, name="Code")
    workbench.memo_save(
        program=world.program, author=world.evaluator, title="Memo", text=MARKDOWN, code=code
    )


def test_login_page_policy_has_no_inline_scripts(client: Any, db: Any) -> None:
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in _directive(policy, "script-src")
    assert _directive(policy, "script-src") or _directive(policy, "default-src")
