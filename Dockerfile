# One image for every Paygate process; its command picks the role:
#   docker build -t paygate .
#   docker run paygate                # pg-cli server (the default): the API on 0.0.0.0:8000
#   docker run paygate worker         # pg-cli worker: settles payments and refunds, delivers webhooks
#   docker run paygate migrate        # pg-cli migrate: brings the schema up to date, then exits
# server and worker need DATABASE_URL and REDIS_URL; a production API process also needs
# PAYGATE_IDEMPOTENCY_FINGERPRINT_KEY (see .env.example). docker-compose.yml runs the whole stack.

# ---- Build: every dependency, every workspace, compiled -------------------------------------
FROM node:20-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

# ---- Run: only pg-cli's workspaces (core, client, server with the checkout bundle of sdk-web, cli), their dist, production dependencies ----
FROM node:20-slim
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/packages/core/package.json packages/core/
COPY --from=build /app/packages/core/dist packages/core/dist
COPY --from=build /app/packages/client/package.json packages/client/
COPY --from=build /app/packages/client/dist packages/client/dist
COPY --from=build /app/packages/server/package.json packages/server/
COPY --from=build /app/packages/server/dist packages/server/dist
COPY --from=build /app/packages/sdk-web/package.json packages/sdk-web/
COPY --from=build /app/packages/sdk-web/dist packages/sdk-web/dist
COPY --from=build /app/packages/dashboard/package.json packages/dashboard/
COPY --from=build /app/packages/dashboard/dist packages/dashboard/dist
COPY --from=build /app/packages/cli/package.json packages/cli/
COPY --from=build /app/packages/cli/dist packages/cli/dist
COPY --from=build /app/packages/cli/bin packages/cli/bin
# --ignore-scripts: no runtime dependency needs an install script, and a root "prepare" (build)
# script could not run here (no sources, no compiler). The other workspaces (webhook-verify,
# examples) are absent, so nothing of theirs is installed.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
  && mkdir -p /var/lib/paygate && chown node:node /var/lib/paygate

# Listen on every interface of the container (the default, 127.0.0.1, is unreachable from outside
# it); PORT (8000 unless set) moves the port. The embedded database (pg-cli dev, or migrate without
# DATABASE_URL) goes to a folder the non-root user can write.
ENV PATH=/app/node_modules/.bin:$PATH \
  PAYGATE_HOST=0.0.0.0 \
  PAYGATE_DATA_DIR=/var/lib/paygate
USER node
EXPOSE 8000
# Liveness of the API process, with Node's own fetch (the slim image has no curl). Worker and
# migrate containers serve no HTTP: docker-compose.yml disables this check for them.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["pg-cli"]
CMD ["server"]
