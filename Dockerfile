# One image for the hub and the simulator (the command chooses). The display is built into it and served by the hub.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY config/package.json config/
COPY server/package.json server/
COPY display/package.json display/
COPY simulator/package.json simulator/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production
EXPOSE 8080
USER node
CMD ["node", "--import", "tsx", "server/src/main.ts"]
