# roost in a container, started the way test suites expect: `docker run -p 127.0.0.1:3000:3000 roost`
# (emulator mode on a temporary database inside the container; the credentials are printed at
# start). It binds 0.0.0.0 inside the container (--expose) so the published port reaches it:
# publish it to 127.0.0.1, or to where the tests run, never to a network others share.
# The working directory is the /data volume, used only by `serve` and the operator commands
# (./roost.db, roost's CA beside it): `docker run -p 127.0.0.1:3000:3000 -v roost-data:/data roost
# serve --host 0.0.0.0`, `docker run -v roost-data:/data roost users create alice`.

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
# No HOST and no ROOST_DB here: each command says where it binds and the emulator never sees /data.
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node fixtures ./fixtures
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
WORKDIR /data
# 3000: the API; 3128: the CONNECT proxy of `serve --proxy` (prefer it to --tls here: with --tls
# the API port speaks HTTPS and the plain-HTTP health check below fails).
EXPOSE 3000 3128
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/roost"]
# The emulator, as test suites start it: a fresh temporary database and the demo fixture each
# start, never the /data volume. `serve --host 0.0.0.0` for a lasting graph in /data.
CMD ["serve", "--emulator", "--expose", "--host", "0.0.0.0"]
