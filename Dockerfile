# roost in a container, started the way test suites expect: `docker run -p 3000:3000 roost`
# (emulator mode; the credentials are printed at start).
# The database (and roost's CA, beside it) live in the /data volume.
# Other commands: `docker run roost serve --tls --proxy`, `docker run roost users create alice`.

# Build: every dependency (npm ci runs `prepare`, which compiles src/ to dist/ with tsc), then
# the development ones are dropped; better-sqlite3 compiles here when no prebuilt binary fits.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.mjs ./scripts/
COPY src ./src
RUN npm ci && npm prune --omit=dev && npm cache clean --force

# Run: no compilers, not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ROOST_DB=/data/roost.db
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node fixtures ./fixtures
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 3000: the API; 3128: the CONNECT proxy of `serve --proxy` (prefer it to --tls here: with --tls
# the API port speaks HTTPS and the plain-HTTP health check below fails).
EXPOSE 3000 3128
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/roost"]
# The emulator, as test suites start it (a fresh database and the demo fixture each start);
# `docker run roost serve` for a lasting graph in /data.
CMD ["serve", "--emulator"]
