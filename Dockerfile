# GigGuard in a container: non-root, the database on a volume (/data), no token in the image.
#   docker build -t gigguard .
#   docker run -d --name gigguard --env-file .env -v gigguard-data:/data gigguard
# or: docker compose up -d   (compose.yaml)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GIGGUARD_HOME=/data \
    DATABASE_PATH=/data/gigguard.db

WORKDIR /app
# Dependencies first (a layer that changes only with the lock file), every one checked by hash.
COPY requirements.txt requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY . /src
RUN pip install --no-deps /src && rm -rf /src

RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin gigguard \
    && mkdir -p /data && chown gigguard /data
USER gigguard
VOLUME ["/data"]

# Exit codes: 0 stopped, 1 pack/database problem, 2 configuration, 3 Discord unreachable.
HEALTHCHECK --interval=5m --timeout=30s CMD ["gigguard", "--check"]
ENTRYPOINT ["gigguard"]
