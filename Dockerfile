# Waspada: one web process (Express webhooks), configured by environment variables (see README).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=2"
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY flows ./flows
COPY locales ./locales
COPY data ./data
USER node
EXPOSE 3000
# Refuses to start on broken flows or texts, then serves.
CMD ["sh", "-c", "node dist/src/cli.js flows:check && exec node dist/src/cli.js serve"]
