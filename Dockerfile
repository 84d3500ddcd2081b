# syntax=docker/dockerfile:1
# UK Open Banking connector image: built in one stage, run from a slim, non-root one.
# test/deploy/dockerfile-steps.int-spec.ts replays these RUN/COPY steps on a copy of the tree
# (no Docker engine exists on CI) and checks that the result starts and reports ready, so keep
# the steps plain shell the replay can run.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source; node-gyp uses the image's own Node headers (no download).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 SQLITE_PATH=/data/connector.sqlite
WORKDIR /app
# A fixed uid/gid (10001) so Kubernetes' runAsUser and volume ownership match the image.
RUN groupadd --system --gid 10001 connector && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin connector && mkdir -p /data && chown 10001:10001 /data
# Code and dependencies stay owned by root: the process cannot modify what it runs.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bank-profiles ./bank-profiles
LABEL org.opencontainers.image.title="uk-open-banking-connector" \
      org.opencontainers.image.licenses="Apache-2.0" \
      io.obc.migrate-command="node dist/apps/connector/src/migrate.js"
USER 10001:10001
# The only writable paths: /tmp and the data volume (SQLite, when DATABASE_URL is unset).
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/connector/src/main.js"]
