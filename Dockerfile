# Huxue web / worker / beat image. One image, three commands (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HUXUE_VAR_DIR=/app/var

WORKDIR /app

# Pango and a CJK font for the bulletins' PDF (WeasyPrint embeds the font in the file).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

# The application runs as an unprivileged user; it may write only under var/
# (collected static files, uploaded media, the embedded broker when no Redis is set).
RUN groupadd --system --gid 10001 huxue \
    && useradd --system --uid 10001 --gid huxue --home-dir /app --no-create-home huxue

COPY --chown=huxue:huxue . .
RUN mkdir -p /app/var/media /app/var/staticfiles && chown -R huxue:huxue /app/var

USER huxue

# Static files are collected into the image. The key below exists only for this build step
# (settings refuse to load without one); the real SECRET_KEY comes from the environment at
# run time.
RUN SECRET_KEY=collectstatic-build-only-dummy-key-never-used-at-run-time \
    python manage.py collectstatic --noinput

EXPOSE 8000

CMD ["gunicorn", "huxue.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
