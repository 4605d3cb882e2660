# Waspada: one web process (Express webhooks), configured by environment variables (see README).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build.mjs scripts/copy-assets.mjs ./scripts/
# The build checks the flows, texts and data in full (a broken flow fails it) and compiles them into
# dist/content.json, which serve loads while these files are still the ones it was made from.
COPY flows ./flows
COPY locales ./locales
COPY data ./data
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8"
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY --from=build /app/flows ./flows
COPY --from=build /app/locales ./locales
COPY --from=build /app/data ./data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Serves the content the build checked (dist/content.json); flows, texts or data changed since (a
# mounted folder) are checked in full at start, and serve refuses to start on any problem.
CMD ["node", "dist/src/cli.js", "serve"]
