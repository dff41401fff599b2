# painmap in a container: `painmap serve` (uvicorn workers) on port 8050, as a non-root user.
#
#   docker build -t painmap .                              # the app
#   docker build -t painmap --build-arg WITH_CHROMIUM=1 .  # also PNG / SVG / PDF downloads
#   docker run --rm -p 8050:8050 painmap                   # open http://localhost:8050
#   docker run --rm -p 8050:8050 -v "$PWD/my-data:/data:ro" painmap \
#       painmap serve --host 0.0.0.0 --data /data --workers 4 --embed-origins https://school.example
#
# Installs exactly what uv.lock pins (runtime only). Without Chromium the app, the embed and the
# HTML download work; PNG, SVG and PDF answer "the server cannot draw pictures right now".
FROM python:3.11-slim

ARG WITH_CHROMIUM=0
ARG UV_VERSION=0.13.8

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/painmap \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/painmap/bin:$PATH

RUN if [ "$WITH_CHROMIUM" = 1 ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
        && rm -rf /var/lib/apt/lists/*; \
    fi \
    && pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /src
# Dependencies first (a layer that changes only with uv.lock), then painmap itself as a wheel.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-install-project --no-cache
COPY src ./src
COPY data ./data
COPY assets ./assets
RUN uv sync --locked --no-editable --no-cache && rm -rf /src

RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin painmap
USER painmap
WORKDIR /tmp
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/', timeout=4)"]
CMD ["painmap", "serve", "--host", "0.0.0.0", "--port", "8050"]
