# One image for web, worker and beat. Dependencies come from the lock file (uv), no dev tools.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    PATH="/opt/venv/bin:$PATH"

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Static files are collected at build time (whitenoise serves them); no secret is needed for it.
RUN SECRET_KEY=build-only-not-secret python manage.py collectstatic --no-input

RUN useradd --system --uid 1000 app && mkdir -p /app/var && chown -R app /app/var
USER app

EXPOSE 8000
# bin/web: granian, chosen by measurement (README "Performance"); `make serve` runs the same.
CMD ["bin/web"]
