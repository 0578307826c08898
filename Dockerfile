# tracker: the web application (gunicorn), the scheduler and the job worker, one image.
#   docker build -t tracker .
#   docker compose up -d      (see compose.yaml and the README's "Production" section)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Chromium renders the PDF reports (set --build-arg PDF=0 to leave it out: HTML reports only).
ARG PDF=1
RUN if [ "$PDF" = "1" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
      && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /app
# requirements.lock (`make lock`), when present, pins the versions the tests ran with.
COPY pyproject.toml README.md requirements.lock* ./
COPY tracker ./tracker
COPY migrations ./migrations
COPY seeds ./seeds
COPY static ./static
RUN pip install $([ -f requirements.lock ] && echo "-c requirements.lock") \
      ".[server,postgres,redis]" \
    && rm -rf /app/tracker /app/migrations /app/seeds /app/static /app/build
COPY gunicorn.conf.py ./

# Flask's instance folder of an installed package (the SQLite default and the generated
# secret key when TRACKER_DATABASE_URL / TRACKER_SECRET_KEY are not set) must be writable.
RUN useradd --system --create-home --home-dir /var/lib/tracker tracker \
    && mkdir -p /var/lib/tracker/mail /usr/local/var/tracker-instance \
    && chown -R tracker /var/lib/tracker /usr/local/var/tracker-instance
USER tracker
ENV TRACKER_ENV=production \
    TRACKER_MAIL_DIR=/var/lib/tracker/mail \
    TRACKER_SCHEDULER=off \
    TRACKER_LOG_FORMAT=json

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4)"
CMD ["gunicorn", "--config", "gunicorn.conf.py", "tracker:create_app()"]
