import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { PROJECT_ROOT } from '../infra/project-root';
import type { RouteDefinition } from './route-table';

const SPEC_PATH = path.join(PROJECT_ROOT, 'openapi.yaml');

const docsPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>South Baltic creative consultations — API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>`;

const initScript = `window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#swagger-ui', deepLinking: true });`;

export function docsRoutes(): RouteDefinition[] {
  const spec = readFileSync(SPEC_PATH, 'utf8');
  return [
    { method: 'get', path: '/openapi.yaml', handlers: [(_req, res) => void res.type('application/yaml').send(spec)] },
    { method: 'get', path: '/docs', handlers: [(_req, res) => void res.type('html').send(docsPage)] },
  ];
}

/** Swagger UI's files from npm (no CDN); nothing inline, so helmet's default CSP holds. */
export function docsAssets(): RequestHandler {
  const router = express.Router();
  router.get('/init.js', (_req, res) => void res.type('application/javascript').send(initScript));
  router.use(express.static(path.dirname(require.resolve('swagger-ui-dist/package.json')), { index: false, maxAge: '1h' }));
  return router;
}
