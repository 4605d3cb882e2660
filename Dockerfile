# Waspada's image, configured by environment variables (README: "Configuration", "Deploying on a server").
#   docker build -t waspada .                                   the default target (runtime): no Chromium
#   docker build --target whatsapp-web -t waspada:whatsapp-web .  adds Debian's Chromium for whatsapp-web.js
# docker-compose.yml builds one or the other (WASPADA_TARGET). Both run `node dist/src/cli.js serve`;
# the same image runs `worker` and the staff and broadcast commands (node dist/src/...; see README).
# test/ops/image.test.ts reads this file: every COPY source exists, and the runtime stage's files,
# laid out as here, serve.

# The build: every dependency (esbuild, which compiles, and the TypeScript compiler, which checks
# the types, among them), then the compiled code. No dependency's install script runs
# (--ignore-scripts): none is needed (sharp and msgpackr load their prebuilt binaries; puppeteer's
# would download a browser).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build.mjs ./scripts/
# The build checks the flows, texts and data in full (a broken flow fails it) and compiles them into
# dist/content.json, which serve loads while these files are still the ones it was made from.
COPY flows ./flows
COPY locales ./locales
COPY data ./data
RUN npm run build

# The production dependencies (`dependencies` in package.json: no tsx, no compiler, no test tools).
# npm keeps typescript in a production install because i18next and cosmiconfig (under
# whatsapp-web.js) name it as an optional peer; nothing loads it at run time, so it goes.
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver

# The same without whatsapp-web.js and what only it needs (puppeteer, ffmpeg bindings...): the
# whatsapp-web channel loads it only when it starts, and without Chromium it cannot start anyway.
FROM prod-deps AS prod-deps-slim
RUN npm pkg delete 'dependencies[whatsapp-web.js]' \
 && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund \
 && rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver

# What both targets run, gathered in one folder: the compiled code, the content it was checked against,
# package.json (for "type": "module"). No sources, no compiler, no npm scripts (those run TypeScript
# through tsx, a development dependency).
FROM scratch AS files
COPY package.json /app/
COPY --from=build /app/dist /app/dist
COPY --from=build /app/flows /app/flows
COPY --from=build /app/locales /app/locales
COPY --from=build /app/data /app/data

# Both targets' settings. Each then adds its node_modules first and the app's files last, so that a
# new release changes only the last, small layer.
FROM node:20-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8"
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# On SIGTERM serve (and worker) stop taking updates, finish those in hand and send what is due for up
# to 8 s (runtime.ts, worker.ts: close(drainMs = 8000)), within Docker's 10 s before SIGKILL
# (docker-compose.yml: stop_grace_period).
STOPSIGNAL SIGTERM
# Serves the content the build checked (dist/content.json); flows, texts or data changed since (a
# mounted folder) are checked in full at start, and serve refuses to start on any problem.
CMD ["node", "dist/src/cli.js", "serve"]

# whatsapp-web.js drives WhatsApp Web in Debian's Chromium (PUPPETEER_EXECUTABLE_PATH, the channel's
# setting). The linked phone's login is kept in WHATSAPP_WEB_DATA_DIR, outside data/ (whose files the
# content check hashes): mount a volume there. Run it with an init (compose: init: true; docker run
# --init) so that Chromium's exited helper processes are reaped.
FROM base AS whatsapp-web
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium ca-certificates fonts-liberation \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/waspada/whatsapp-web \
 && chown -R node:node /var/lib/waspada
USER node
ENV PUPPETEER_SKIP_DOWNLOAD=1 \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium \
    WHATSAPP_WEB_DATA_DIR=/var/lib/waspada/whatsapp-web
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=files /app ./

# The default target (last): the webhook channels (Telegram, the WhatsApp Cloud API), the staff
# console, campaigns and the outbox's workers, without Chromium or whatsapp-web.js.
FROM base AS runtime
COPY --from=prod-deps-slim /app/node_modules ./node_modules
COPY --from=files /app ./
