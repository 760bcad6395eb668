"""The rules every uploaded photo is held to (a spot check's finding, an incident, an outreach
activity): its kind by name, declared type and first bytes, its size, and its pixels, and a
random name to store it under. Photos are served only through views that check scope, never
under a public media URL (`photo_response`)."""

from __future__ import annotations

import mimetypes
import uuid
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

PHOTO_ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"
# Extension -> (content types a browser sends for it, what the file must start with).
PHOTO_KINDS = {
    "jpg": ({"image/jpeg", "image/jpg", "image/pjpeg"}, "jpeg"),
    "jpeg": ({"image/jpeg", "image/jpg", "image/pjpeg"}, "jpeg"),
    "png": ({"image/png"}, "png"),
    "webp": ({"image/webp"}, "webp"),
}


def sniff_image(head: bytes) -> str | None:
    """The image format the first bytes of a file announce (jpeg, png, webp), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def validate_photo(upload):
    """A photo must be a JPEG, PNG or WebP of at most PHOTO_MAX_BYTES and PHOTO_MAX_PIXELS:
    by its name, its size (as the upload declares it, before a byte is read), the type the
    browser declared, its first bytes (so a renamed document is refused too), and the
    image's header (its width and height; the pixels are never decoded here)."""
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in PHOTO_KINDS:
        raise ValidationError(
            _("“%(name)s” is not a photo: upload a JPG, PNG or WebP image."), code="photo_type",
            params={"name": upload.name},
        )
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is %(size).1f MB; the limit is %(limit)s MB."), code="photo_size",
            params={"size": upload.size / 1024 / 1024,
                    "limit": f"{settings.PHOTO_MAX_BYTES / 1024 / 1024:.1f}".removesuffix(".0")},
        )
    content_types, kind = PHOTO_KINDS[ext]
    not_that_kind = ValidationError(
        _("“%(name)s” is not a %(kind)s image (its content does not match its name)."),
        code="photo_content", params={"name": upload.name, "kind": kind.upper()},
    )
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if (declared and declared not in content_types and declared != "application/octet-stream") or (
        sniff_image(head) != kind
    ):
        raise not_that_kind
    too_big = ValidationError(
        _("The photo is larger than %(limit)s million pixels (width × height); take it at a lower resolution."),
        code="photo_pixels", params={"limit": f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}"},
    )
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own bound; ours is checked just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[kind.upper()]) as image:  # reads the header only
                width, height = image.size
    except Image.DecompressionBombError:
        raise too_big from None
    except (OSError, SyntaxError, ValueError):  # UnidentifiedImageError is an OSError
        raise not_that_kind from None
    finally:
        upload.seek(0)
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise too_big


def random_photo_name(folder: str, filename: str) -> str:
    """A random name under `folder/<year>/<month>/`: the uploader's file name says nothing we
    need, and may say too much; only its suffix is kept."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def photo_response(field_file) -> FileResponse:
    """A stored photo as a private response (the caller has checked scope): 404 when the file
    is missing, no sniffing, cached by the browser only."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The photo file is missing.")) from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
