# syntax=docker/dockerfile:1
# One image for the hubs and the simulator (the command chooses); the display is built into it and served by the hub.
#
#   docker compose build hub            (docker-compose.yml tags it egret:local for every service)
#   docker build -t egret:local --build-arg EGRET_IMAGE_REGISTRY=<mirror> --build-arg NPM_REGISTRY=<npm mirror> .
#
# Mainland networks reach Docker Hub and the npm registry badly: point EGRET_IMAGE_REGISTRY at a Docker Hub mirror
# (a Harbor proxy project, or your cloud's mirror: <host>/library/node:… must exist there) and NPM_REGISTRY at an npm
# mirror (e.g. https://registry.npmmirror.com). The lockfile's resolved URLs are rewritten to it by npm itself.
#
# The hub runs its TypeScript through tsx (an esbuild transform at load; ~1 s more at start) rather than a compiled
# copy: the workspaces export their .ts sources and import each other by `.ts` paths, so what runs in production
# is exactly what the tests ran. tsx is therefore a runtime dependency of @egret/server; nothing else of the
# toolchain (vite, svelte, typescript, vitest, playwright-core, happy-dom) is in the final image.

ARG EGRET_IMAGE_REGISTRY=docker.io
# Node 24: an LTS line supported until April 2028; package.json `engines` (>=20.19) allows it.
ARG NODE_IMAGE=library/node:24-bookworm-slim

# ---- build: every dependency, then the display bundle ----
FROM ${EGRET_IMAGE_REGISTRY}/${NODE_IMAGE} AS build
ARG NPM_REGISTRY=https://registry.npmjs.org/
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY config/package.json config/
COPY server/package.json server/
COPY display/package.json display/
COPY simulator/package.json simulator/
RUN npm ci --no-audit --no-fund --registry="${NPM_REGISTRY}"
COPY . .
RUN npm run build

# ---- runtime dependencies only: the hub's and the simulator's (and the workspaces they import) ----
FROM ${EGRET_IMAGE_REGISTRY}/${NODE_IMAGE} AS deps
ARG NPM_REGISTRY=https://registry.npmjs.org/
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY config/package.json config/
COPY server/package.json server/
COPY display/package.json display/
COPY simulator/package.json simulator/
RUN npm ci --omit=dev --no-audit --no-fund --registry="${NPM_REGISTRY}" \
      --workspace=@egret/server --workspace=@egret/simulator --include-workspace-root=false \
 && npm cache clean --force

# ---- the image ----
FROM ${EGRET_IMAGE_REGISTRY}/${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY protocol/src protocol/src
COPY config config
COPY server/package.json server/
COPY server/src server/src
COPY simulator/package.json simulator/
COPY simulator/src simulator/src
COPY display/package.json display/
COPY --from=build /app/display/dist display/dist
# The data folder (replay archives in data/history) belongs to the user the hub runs as; compose mounts one volume
# there for every hub, and a new named volume takes this ownership from the image.
RUN mkdir -p /app/data/history && chown -R node:node /app/data
VOLUME /app/data
USER node
EXPOSE 8080
CMD ["node", "--import", "tsx", "server/src/main.ts"]
