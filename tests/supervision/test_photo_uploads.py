"""Spot-check photos: an oversized upload is refused by its declared size before a byte is
read, and an image must say in its header that it is no larger than PHOTO_MAX_PIXELS."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from supervision.forms import FindingForm


class UnreadableUpload(SimpleUploadedFile):
    """An upload that claims `size` bytes and fails the test if anything reads it."""

    def __init__(self, name, size, content_type="image/jpeg"):
        super().__init__(name, b"\xff\xd8\xff", content_type=content_type)
        self.size = size

    def read(self, *args, **kwargs):
        raise AssertionError("the upload was read")

    def chunks(self, *args, **kwargs):
        raise AssertionError("the upload was read")

    def __iter__(self):
        raise AssertionError("the upload was read")


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares width x height (its pixels are never there)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def real_jpeg(width=40, height=30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, "JPEG")
    return out.getvalue()


def photo_errors(cast, upload, language="en"):
    with translation.override(language):
        form = FindingForm({"issue": "absent"}, {"photo": upload}, user=cast.alice)
        form.is_valid()
        errors = form.errors.get("photo")
        return None if errors is None else [str(e) for e in errors]


def test_an_oversized_photo_is_refused_before_it_is_read(cast):
    upload = UnreadableUpload("gate.jpg", 50 * 1024 * 1024)
    assert photo_errors(cast, upload) == ["The photo is 50.0 MB; the limit is 5 MB."]


def test_the_photo_size_limit_is_a_setting(cast, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    upload = UnreadableUpload("gate.jpg", 2 * 1024 * 1024)
    assert photo_errors(cast, upload) == ["The photo is 2.0 MB; the limit is 1 MB."]
    settings.PHOTO_MAX_BYTES = 8 * 1024 * 1024
    assert photo_errors(cast, SimpleUploadedFile("gate.jpg", real_jpeg(), content_type="image/jpeg")) is None


@pytest.mark.parametrize("width, height", [(9000, 8000), (100_000, 100_000)])
def test_a_photo_with_too_many_pixels_is_refused_from_its_header(cast, width, height):
    upload = SimpleUploadedFile("gate.png", png_header(width, height), content_type="image/png")
    assert len(upload) < 100
    assert photo_errors(cast, upload) == [
        "The photo is larger than 60 million pixels (width × height); take it at a lower resolution."]


def test_a_photo_whose_header_is_broken_is_refused(cast):
    upload = SimpleUploadedFile("gate.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64, content_type="image/jpeg")
    assert photo_errors(cast, upload) == ["“gate.jpg” is not a JPEG image (its content does not match its name)."]


def test_a_real_photo_passes_and_can_still_be_read_whole(cast):
    content = real_jpeg()
    upload = SimpleUploadedFile("gate.jpg", content, content_type="image/jpeg")
    assert photo_errors(cast, upload) is None
    assert upload.read() == content
