# syntax=docker/dockerfile:1
# Firebreak's image: the bot by default, the executor worker with FIREBREAK_ROLE=worker.
# Kept thin on purpose: both stages call scripts/release.sh, the script the tests run outside docker
# (test/e2e/release.test.ts), so this file only picks the base image, the user and the ports.
#   docker build -t firebreak .
#   docker run --init --env-file .env -p 3100:3100 -p 127.0.0.1:3102:3102 firebreak
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 (the postmortem's SQL) is a native addon: when its prebuilt binary cannot be
# fetched, npm ci compiles it, which needs a toolchain. Only the build stage has one.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The dependency layer is rebuilt only when the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
# dist/ + commands/ + production node_modules (no TypeScript, tsx or test tools) in /app.
RUN bash scripts/release.sh build /app

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=3100 \
    WORKER_PORT=3101 \
    METRICS_PORT=3102
WORKDIR /app
# Owned by root, run by `node` (uid 1000): the process cannot change its own code or runbooks.
COPY --from=build /app /app
USER node
# 3100: Slack's Request URL (public). 3101: the worker's health and metrics. 3102: the bot's
# health and metrics (keep it off the internet).
EXPOSE 3100 3101 3102
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "scripts/release.sh", "healthcheck"]
# release.sh execs node, so Node itself receives SIGTERM (it handles it, also as PID 1). `--init`
# (compose: `init: true`) adds a reaper for the programs that `process` steps start.
STOPSIGNAL SIGTERM
CMD ["bash", "scripts/release.sh", "start"]
