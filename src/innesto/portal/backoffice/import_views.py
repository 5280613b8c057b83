"""The back-office page that imports a spreadsheet: upload → per-row diff → confirm."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innesto.errors import InnestoError
from innesto.portal.backoffice.importing import apply, preview

SALT = "innesto.backoffice.import"
MAX_AGE = 3600


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (XLSX or CSV)"))


def _store() -> Path:
    """Where uploads wait for confirmation; files older than the preview's validity go."""
    import time

    folder = Path(tempfile.gettempdir()) / "innesto-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)  # uploads are private: only the server's own user reads them
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - 2 * MAX_AGE:
            old.unlink(missing_ok=True)
    return folder


def _public(exc: Exception, stored: Path, name: str) -> str:
    """The error as the user may see it: the server's temporary path replaced by the name
    of the file they uploaded."""
    text = exc.strerror if isinstance(exc, FileNotFoundError) and exc.strerror else str(exc)
    return text.replace(str(stored), name).replace(stored.name, name)


def import_plan(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("backoffice.import_plan"):
        raise PermissionDenied
    ctx = {**admin.site.each_context(request), "title": _("Import the plan from a spreadsheet")}
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            form.add_error("file", _("Expected a .xlsx or .csv file."))
        else:
            stored = _store() / f"{uuid.uuid4().hex}{suffix}"
            fd = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                result = preview(stored, name=upload.name)
            except InnestoError as exc:
                stored.unlink(missing_ok=True)
                form.add_error("file", _public(exc, stored, upload.name))
            else:
                token = signing.TimestampSigner(salt=SALT).sign_object(
                    {"f": stored.name, "n": upload.name, "d": result.fingerprint()})
                ctx.update({"preview": result, "token": token, "filename": upload.name})
    ctx["form"] = form
    return TemplateResponse(request, "backoffice/import.html", ctx)


def _confirm(request: HttpRequest) -> HttpResponse:
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(request.POST["token"],
                                                                max_age=MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired; upload the file again."))
        return HttpResponseRedirect(reverse("backoffice_import"))
    stored = _store() / Path(str(data["f"])).name
    overwrite = request.POST.get("overwrite") == "1"
    try:
        result = apply(stored, user=request.user, name=str(data["n"]), expect=str(data["d"]),
                       overwrite=overwrite)
    except (InnestoError, FileNotFoundError) as exc:
        messages.error(request, _public(exc, stored, str(data["n"])))
        return HttpResponseRedirect(reverse("backoffice_import"))
    finally:
        stored.unlink(missing_ok=True)
    messages.success(request, _("Imported: %(n)d rows added or changed.")
                     % {"n": len(result.changed)})
    if result.conflicts:
        messages.warning(request, _(
            "%(n)d change(s) of the spreadsheet conflict with changes made in the back office "
            "and were not imported: %(what)s. Import the file again and tick “Overwrite” "
            "to take the spreadsheet's version.") % {
                "n": len(result.conflicts),
                "what": "; ".join(f"{c.kind} {c.key}" for c in result.conflicts[:10])})
    return HttpResponseRedirect(reverse("admin:index"))
