# syntax=docker/dockerfile:1
# The image holds what CI tests: the same install and `pnpm build` as .ci/run, then only the bundles and the
# packages they load at run time (the server's `dependencies`: LanceDB, Arrow and argon2, with their native parts).
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
RUN npm install -g pnpm@10
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm build
RUN pnpm --filter @aimo/server deploy --prod --legacy /deploy

FROM node:${NODE_VERSION}-bookworm-slim
# MALLOC_ARENA_MAX: LanceDB's threads each grow a glibc arena that is seldom given back; two arenas cut the
# migrator's peak RSS by about a fifth (see README, Benchmarks), as in `pnpm start` and `migrate:data`.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 MALLOC_ARENA_MAX=2 \
    LANCEDB_URI=/data/lancedb ATTACHMENT_LOCAL_PATH=/data/attachments BACKUP_TARGET=/data/backups
WORKDIR /app
COPY --from=build /deploy/package.json /app/package.json
COPY --from=build /deploy/node_modules /app/node_modules
COPY --from=build /repo/apps/server/dist /app/dist
COPY --from=build /repo/apps/migrator/dist /app/migrator
RUN mkdir -p /data/lancedb /data/attachments /data/backups && chown -R node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
