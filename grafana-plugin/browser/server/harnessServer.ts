// The HTTP side of the harness: serves the harness page and bundle, the BUILT plugin under
// /public/plugins/<id>/ (as Grafana does), and the few Grafana HTTP APIs the plugin calls.
import { DATASOURCES } from '@tokenmeter/provisioning';
import fs from 'fs';
import http from 'http';
import path from 'path';
import { Pool } from 'pg';
import { runPromql, runSql, type DsQuery, type QueryResult } from './dsQuery';

export const PLUGIN_ID = 'tokenmeter-llm-app';

export interface HarnessOptions {
  distDir: string;
  harnessDir: string;
  databaseUrl: string;
  prometheusUrl: string;
  firingAlerts: unknown[];
  jsonData: Record<string, unknown>;
}

export interface RunningHarness {
  url: string;
  /** Plugin settings saved through POST /api/plugins/<id>/settings. */
  savedSettings: () => Record<string, unknown> | undefined;
  /** Queries the datasources refused since the last call (taken out of the list). */
  queryErrors: () => string[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.md': 'text/markdown',
};

function sendFile(response: http.ServerResponse, root: string, relative: string): void {
  const file = path.resolve(root, `.${relative}`);
  if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    response.writeHead(404).end('not found');
    return;
  }
  response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(response);
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(request: http.IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

/** What Grafana's index page gives the frontend before any script runs (a viewer in UTC, dark theme). */
const BOOT_DATA = {
  assets: { dark: '', light: '' },
  settings: { appSubUrl: '', buildInfo: { version: '13.2.2', edition: 'Open Source' }, featureToggles: {} },
  user: { isSignedIn: true, login: 'viewer', orgId: 1, orgRole: 'Viewer', timezone: 'utc', theme: 'dark', language: 'en-US' },
  navTree: [],
};

function harnessPage(jsonData: Record<string, unknown>): string {
  const config = {
    pluginId: PLUGIN_ID,
    pluginUrl: `/public/plugins/${PLUGIN_ID}/module.js`,
    jsonData,
    datasources: [
      { uid: DATASOURCES.prometheus, type: 'prometheus', name: 'Prometheus' },
      { uid: DATASOURCES.postgres, type: 'grafana-postgresql-datasource', name: 'PostgreSQL' },
    ],
  };
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Tokenmeter — plugin harness</title></head>
<body><div id="root"></div>
<script>window.grafanaBootData = ${JSON.stringify(BOOT_DATA)}; window.__TOKENMETER_HARNESS__ = ${JSON.stringify(config)};</script>
<script src="/harness/harness.js"></script>
</body>
</html>`;
}

export async function startHarness(options: HarnessOptions): Promise<RunningHarness> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 4 });
  let jsonData = options.jsonData;
  let saved: Record<string, unknown> | undefined;
  const queryErrors: string[] = [];
  const pluginPrefix = `/public/plugins/${PLUGIN_ID}/`;

  async function dsQuery(body: { queries: DsQuery[]; from: string; to: string }) {
    const from = new Date(Number(body.from));
    const to = new Date(Number(body.to));
    const results: Record<string, QueryResult> = {};
    await Promise.all(
      body.queries.map(async (query) => {
        try {
          if (query.datasource.uid === DATASOURCES.postgres) {
            results[query.refId] = { frames: [await runSql(pool, query, from, to)], status: 200 };
          } else if (query.datasource.uid === DATASOURCES.prometheus) {
            results[query.refId] = { frames: await runPromql(options.prometheusUrl, query, from, to, body.queries.length), status: 200 };
          } else {
            results[query.refId] = { error: `Unknown datasource ${query.datasource.uid}`, status: 400 };
          }
        } catch (error) {
          queryErrors.push(`${query.refId} ${query.rawSql ?? query.expr}: ${(error as Error).message}`);
          results[query.refId] = { error: (error as Error).message, status: 400 };
        }
      })
    );
    return { results };
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://harness');
    const route = `${request.method} ${url.pathname}`;
    void (async () => {
      if (url.pathname.startsWith(pluginPrefix)) {
        sendFile(response, options.distDir, `/${url.pathname.slice(pluginPrefix.length)}`);
      } else if (url.pathname.startsWith('/harness/')) {
        sendFile(response, options.harnessDir, `/${url.pathname.slice('/harness/'.length)}`);
      } else if (route === 'POST /api/ds/query') {
        const answer = await dsQuery(await readJson(request));
        const failed = Object.values(answer.results).some((result) => 'error' in result);
        sendJson(response, failed ? 400 : 200, answer);
      } else if (route === 'GET /api/alertmanager/grafana/api/v2/alerts') {
        sendJson(response, 200, options.firingAlerts);
      } else if (route === `POST /api/plugins/${PLUGIN_ID}/settings`) {
        saved = await readJson(request);
        jsonData = (saved?.jsonData as Record<string, unknown>) ?? jsonData;
        sendJson(response, 200, { message: 'Plugin settings updated' });
      } else if (request.method === 'GET' && (url.pathname.startsWith('/a/') || url.pathname.startsWith('/plugins/'))) {
        response.writeHead(200, { 'content-type': 'text/html' }).end(harnessPage(jsonData));
      } else {
        sendJson(response, 404, { message: `${route} is not part of this harness` });
      }
    })().catch((error: Error) => sendJson(response, 500, { message: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    savedSettings: () => saved,
    queryErrors: () => queryErrors.splice(0),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
