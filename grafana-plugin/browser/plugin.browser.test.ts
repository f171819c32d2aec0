import fs from 'fs';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { KNOWN_CALLS, KNOWN_FIGURES, PROM_KNOWN } from './server/dataset';
import { startHarness, PLUGIN_ID, type RunningHarness } from './server/harnessServer';
import { createTestDatabase, requireEnv, type BackfilledPrometheus, type TestDatabase } from '@tokenmeter/test-support';
import { firstPricedModel, loadLedger } from './server/ledgerData';
import { startPrometheus } from './server/promData';
import { firingAlerts, type GettableAlert } from './server/firingAlerts';
import { Pool } from 'pg';

const DIST = path.resolve(__dirname, '../dist');
const HARNESS_BUNDLE = path.resolve(__dirname, '.build');
const ARTIFACTS = path.resolve(__dirname, '../artifacts');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'tablet', width: 820, height: 1180 },
  { name: 'phone', width: 390, height: 844 },
];

/** The last health check, a few minutes before the test started, as a relative time. */
const LAST_CHECK_SHOWN = new RegExp(`(?<!\\d)([${PROM_KNOWN.lastCheckMinutesAgo}-9]|1\\d)\\s+minutes\\s+ago`);

/** Alice's only classify-intent call, in her drill-down's recent calls. */
const ALICE_CLASSIFY_CALL = KNOWN_CALLS.find(
  (call) => call.user === 'user-alice-0001' && call.prompt === 'classify-intent'
)!;

/** Bob's latest draft-reply call, in the overview's recent activity. */
const BOB_DRAFT_CALL = KNOWN_CALLS.find((call) => call.user === 'user-bob-000002' && call.prompt === 'draft-reply')!;

/** Per page: where it lives and panel title → a figure of the known data set it must show. */
/** The first row of the price list (the catalog's, as the sink stored it), read in beforeAll. */
let firstPriceRow = '';
/** The alerts the provisioned rules fire on the same data as the panels, computed in beforeAll. */
let alerts: GettableAlert[] = [];

const PAGES: Array<{ name: string; path: string; figures: Array<[string, string | RegExp | (() => string)]> }> = [
  {
    name: 'overview',
    path: 'overview',
    figures: [
      ['API calls, last hour', String(KNOWN_FIGURES.apiCallsLastHour)],
      ['LLM requests, last hour', String(KNOWN_FIGURES.llmRequestsLastHour)],
      ['Recommendations, last hour', String(KNOWN_FIGURES.recommendationsGeneratedLastHour)],
      ['Recommendations, last hour', 'Implemented'],
      ['Total cost', `$${KNOWN_FIGURES.costUsd.toFixed(2)}`],
      ['Total cost', 'Month-end projection'],
      ['Total requests', String(KNOWN_FIGURES.requests)],
      ['Active users', String(KNOWN_FIGURES.activeUsers)],
      ['Cache hit rate', `${(KNOWN_FIGURES.cacheHitRate * 100).toFixed(1)}%`],
      ['All time and this month', 'gpt-4.1-mini'],
      ['Daily usage', 'Cost (USD)'],
      ['Model mix by requests', 'gpt-5'],
      ['Domain events', 'Viewed'],
      ['Overall health', 'DOWN'],
      ['Last health check', LAST_CHECK_SHOWN],
      ['Dependencies', 'redis'],
      // The whole id, not cut by an ellipsis (visibilityProblems) at any width.
      ['Top users', 'user-alice-0001'],
      // A draft-reply call's cost: the column a phone shows too (the prompt column gives way on a phone).
      ['Recent activity', `$${BOB_DRAFT_CALL.costUsd.toFixed(5)}`],
      ['Endpoint performance', PROM_KNOWN.routes[0].route],
      ['HTTP error rate', '%'],
    ],
  },
  {
    name: 'users',
    path: 'users',
    figures: [
      ['Top users (select one to drill down)', 'user-bob-000002'],
      ['FREE plan: quota use today', 'over quota'],
    ],
  },
  {
    name: 'user-drilldown',
    path: 'users/user-alice-0001',
    figures: [
      ['Usage in period', 'Requests'],
      ['Models and prompts', 'summarize-ticket'],
      // The call's cost: the column a phone shows too (the prompt column gives way on a phone).
      ['Recent calls', `$${ALICE_CLASSIFY_CALL.costUsd.toFixed(5)}`],
    ],
  },
  { name: 'prompts', path: 'prompts', figures: [['Top prompts by cost', 'summarize-ticket']] },
  {
    name: 'models',
    path: 'models',
    figures: [
      ['Requests and cost by model', 'gpt-5'],
      ['Time to first token', 'p95'],
      // One timeout, read as a whole number: not "1.00" (Prometheus's increase() extrapolates).
      ['Errors by type', /timeout\s*1(?![.\d])/],
      ['Price list in use (USD per million tokens)', () => firstPriceRow],
    ],
  },
  {
    name: 'health',
    path: 'health',
    figures: [
      ['Overall status', 'DOWN'],
      ['Last check', LAST_CHECK_SHOWN],
      ['Dependency checks', 'redis'],
    ],
  },
  { name: 'health-pipeline', path: 'health/pipeline', figures: [['Scrape targets', 'UP']] },
];

/**
 * Per page, the tables whose columns a person must see without scrolling sideways: all of them at
 * desktop width, the first (the figure that matters) at every width.
 */
const TABLE_COLUMNS: Record<string, Array<[string, string[]]>> = {
  overview: [
    ['Top users', ['Cost', 'User', 'Requests', 'Tokens']],
    ['Recent activity', ['Cost', 'Status', 'Duration', 'Time']],
  ],
  users: [['Top users (select one to drill down)', ['Cost', 'User', 'Requests']]],
  prompts: [['Top prompts by cost', ['Cost', 'Prompt', 'Requests']]],
};

/** Models page charts whose series span the whole period (p95 latency draws its thresholds across it too). */
const TIME_SERIES_OVER_THE_PERIOD = ['Cost per hour by model', 'Requests per second by model', 'Time to first token'];

describe('the built plugin in a browser, on real PostgreSQL and Prometheus data', () => {
  let database: TestDatabase | undefined;
  let prometheus: BackfilledPrometheus | undefined;
  let harness: RunningHarness | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const chromiumPath = requireEnv('TOKENMETER_CHROMIUM', 'Chromium (scripts/ensure/chromium.sh)');
    for (const file of [
      path.join(DIST, 'module.js'),
      path.join(DIST, 'plugin.json'),
      path.join(HARNESS_BUNDLE, 'harness.js'),
    ]) {
      if (!fs.existsSync(file)) {
        throw new Error(`${file} is missing: run \`npm run build\` and \`npm run build:harness\` first`);
      }
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const now = new Date();
    database = await createTestDatabase('plugin');
    await loadLedger(database.url, now);
    firstPriceRow = await firstPricedModel(database.url);
    prometheus = await startPrometheus(now);
    const pool = new Pool({ connectionString: database.url, max: 2 });
    try {
      const running = prometheus;
      alerts = await firingAlerts(
        {
          sql: async (sql) => (await pool.query(sql)).rows as Array<Record<string, unknown>>,
          promql: (expr, time) => running.query(expr, time),
        },
        now
      );
    } finally {
      await pool.end();
    }
    harness = await startHarness({
      distDir: DIST,
      harnessDir: HARNESS_BUNDLE,
      databaseUrl: database.url,
      prometheusUrl: prometheus.url,
      firingAlerts: alerts,
      jsonData: {},
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await prometheus?.stop();
    await database?.drop();
  });

  async function open(
    viewport: (typeof VIEWPORTS)[number],
    urlPath: string
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(`console error: ${message.text()}`);
      }
    });
    await page.goto(`${harness!.url}${urlPath}`);
    await page.waitForFunction(() => window.__harnessReady === true || window.__harnessError !== undefined);
    const startError = await page.evaluate(() => window.__harnessError);
    if (startError) {
      throw new Error(`The harness could not start the plugin: ${startError}`);
    }
    return { page, errors };
  }

  async function expectPanelShows(page: Page, title: string, text: string | RegExp, errors: string[]) {
    const panel = page.getByTestId(`data-testid Panel header ${title}`);
    try {
      await panel.filter({ hasText: text }).first().waitFor({ timeout: 30_000 });
    } catch {
      const shown = (await panel.count()) ? await panel.first().innerText() : '(no such panel)';
      const file = path.join(ARTIFACTS, `failure-${title.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      throw new Error(
        `Panel "${title}" does not show ${String(text)}; it shows: ${shown}\nscreenshot: ${file}\npage errors: ${errors.join('\n')}\nquery errors: ${harness!.queryErrors().join('\n')}`
      );
    }
  }

  /**
   * What a person sees of panel `title`: scrolled into view, its figures inside the viewport, not
   * covered by another element (elementFromPoint at the centre of each), not cut by an ellipsis
   * (scrollWidth ≤ clientWidth). Returns the problems found, empty when none.
   */
  async function visibilityProblems(page: Page, title: string): Promise<string[]> {
    const panel = page.getByTestId(`data-testid Panel header ${title}`).first();
    await panel.scrollIntoViewIfNeeded();
    return panel.evaluate((root, panelTitle) => {
      const problems: string[] = [];
      const viewport = { width: window.innerWidth, height: window.innerHeight };
      const panelBox = root.getBoundingClientRect();
      // The figures: text-bearing leaves (stat values and names, table cells and headers, legends).
      const leaves = [...root.querySelectorAll<HTMLElement>('*')].filter(
        (el) => el.children.length === 0 && (el.textContent ?? '').trim() !== '' && el.getClientRects().length > 0
      );
      /** The visible box of the nearest ancestor, up to the panel, that clips what overflows it sideways. */
      const clippingBox = (el: Element) => {
        for (let node = el.parentElement; node && node !== root; node = node.parentElement) {
          if (/(hidden|clip|auto|scroll)/.test(getComputedStyle(node).overflowX)) {
            const box = node.getBoundingClientRect();
            const left = box.left + node.clientLeft;
            const name = node.getAttribute('role') === 'cell' ? 'cell' : 'table or panel area';
            return { name, left, right: left + node.clientWidth };
          }
        }
        return undefined;
      };
      const inScrollArea = (el: Element) => {
        for (let node = el.parentElement; node && node !== root; node = node.parentElement) {
          const style = getComputedStyle(node);
          if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) {
            return node;
          }
        }
        return undefined;
      };
      for (const el of leaves) {
        const text = (el.textContent ?? '').trim().slice(0, 40);
        const rect = el.getBoundingClientRect();
        const cx = rect.left + rect.width / 2;
        const cy = rect.top + rect.height / 2;
        const scrollArea = inScrollArea(el);
        if (scrollArea) {
          // Rows further down a scrolling table, outside its visible box: reached by scrolling it.
          const box = scrollArea.getBoundingClientRect();
          if (cy < Math.max(0, box.top) || cy > Math.min(viewport.height, box.top + scrollArea.clientHeight)) {
            continue;
          }
        }
        if (rect.left < -1 || rect.right > viewport.width + 1) {
          problems.push(`${panelTitle}: "${text}" lies outside the viewport horizontally`);
          continue;
        }
        // Cut at the edge of its panel, or of a cell or table that clips what overflows it: the
        // text's own glyphs (a Range over it), not its box, which may overflow with blank padding.
        const range = document.createRange();
        range.selectNodeContents(el);
        const glyphs = range.getBoundingClientRect();
        if (glyphs.width > 0 && (glyphs.left < panelBox.left - 1 || glyphs.right > panelBox.right + 1)) {
          problems.push(`${panelTitle}: "${text}" is cut at the edge of its panel`);
          continue;
        }
        const clip = clippingBox(el);
        if (clip && glyphs.width > 0 && (glyphs.left < clip.left - 1 || glyphs.right > clip.right + 1)) {
          problems.push(`${panelTitle}: "${text}" is cut at the edge of its ${clip.name}`);
          continue;
        }
        if (cy >= 0 && cy <= viewport.height) {
          const top = document.elementFromPoint(cx, cy);
          if (top && top !== el && !el.contains(top) && !top.contains(el) && !root.contains(top)) {
            problems.push(
              `${panelTitle}: "${text}" is covered by ${top.tagName.toLowerCase()}.${String(top.className).slice(0, 40)}`
            );
          }
        }
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow === 'ellipsis') {
          problems.push(`${panelTitle}: "${text}" is cut by an ellipsis (${el.scrollWidth} > ${el.clientWidth} px)`);
        }
      }
      // Cells: the table's own cells clip their content with an ellipsis on their wrapper.
      for (const cell of root.querySelectorAll<HTMLElement>('[role="cell"], [role="columnheader"]')) {
        const text = (cell.textContent ?? '').trim().slice(0, 40);
        const clipped = [cell, ...cell.querySelectorAll<HTMLElement>('*')].some(
          (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow === 'ellipsis'
        );
        if (clipped && text !== '') {
          problems.push(`${panelTitle}: cell "${text}" is cut by an ellipsis`);
        }
      }
      return problems;
    }, title);
  }

  /** The header texts of the table in panel `title` that a person sees without scrolling it sideways. */
  async function visibleColumns(page: Page, title: string): Promise<string[]> {
    const panel = page.getByTestId(`data-testid Panel header ${title}`).first();
    await panel.scrollIntoViewIfNeeded();
    return panel.evaluate((root) => {
      const box = root.getBoundingClientRect();
      return [...root.querySelectorAll<HTMLElement>('[role="columnheader"]')]
        .filter((header) => {
          const rect = header.getBoundingClientRect();
          return (
            rect.width > 0 && rect.left >= box.left - 1 && rect.right <= Math.min(box.right, window.innerWidth) + 1
          );
        })
        .map((header) => (header.textContent ?? '').trim());
    });
  }

  /**
   * The share of its plot's width over which time series panel `title` draws its series: the
   * columns of the plot area (uPlot's overlay box) holding a pixel of the chart's canvas at least 40 %
   * opaque (a 1 px line drawn between two pixel rows is half opaque in each),
   * from the first to the last (grid lines are translucent; a lone point at the right edge is ~0).
   */
  async function drawnShare(page: Page, title: string): Promise<number> {
    const panel = page.getByTestId(`data-testid Panel header ${title}`).first();
    await panel.scrollIntoViewIfNeeded();
    await panel.locator('.u-over').first().waitFor();
    return panel.evaluate((root) => {
      const canvas = root.querySelector('canvas')!;
      const plot = root.querySelector('.u-over')!.getBoundingClientRect();
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / box.width;
      const left = Math.round((plot.left - box.left) * scale);
      const top = Math.round((plot.top - box.top) * scale);
      const width = Math.round(plot.width * scale);
      const height = Math.round(plot.height * scale);
      const pixels = canvas.getContext('2d')!.getImageData(left, top, width, height).data;
      let first = -1;
      let last = -1;
      for (let x = 0; x < width; x++) {
        for (let y = 0; y < height; y++) {
          if (pixels[(y * width + x) * 4 + 3] >= 100) {
            first = first < 0 ? x : first;
            last = x;
            break;
          }
        }
      }
      return first < 0 ? 0 : (last - first + 1) / width;
    });
  }

  /** The colours of time series panel `title`'s legend markers, one per series. */
  async function seriesColours(page: Page, title: string): Promise<string[]> {
    const panel = page.getByTestId(`data-testid Panel header ${title}`).first();
    return panel.evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('[data-testid="series-icon"]')].map(
        (icon) => getComputedStyle(icon).backgroundColor
      )
    );
  }

  /** The firing-alerts banner seen like a figure: inside the viewport, uncovered, not cut. */
  async function bannerProblems(page: Page): Promise<string[]> {
    const banner = page.getByTestId('tokenmeter-firing-alerts').first();
    await banner.scrollIntoViewIfNeeded();
    return banner.evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('li')].flatMap((item) => {
        const rect = item.getBoundingClientRect();
        const text = (item.textContent ?? '').slice(0, 40);
        const top = document.elementFromPoint(rect.left + Math.min(rect.width / 2, 40), rect.top + rect.height / 2);
        return [
          ...(rect.left < -1 || rect.right > window.innerWidth + 1
            ? [`banner: "${text}" lies outside the viewport`]
            : []),
          ...(top && !root.contains(top) ? [`banner: "${text}" is covered by ${top.tagName.toLowerCase()}`] : []),
        ];
      })
    );
  }

  it("fires the alerts the provisioned rules give on the panels' data, and no cost alert on a period that cost cents", () => {
    const names = alerts.map((alert) => alert.labels.alertname);
    // The panels show redis DOWN, a FREE user over quota and a failed call in 6 per hour…
    expect(names).toEqual(expect.arrayContaining(['Health check failing', 'FREE plan quota exceeded']));
    // …and a ledger of a few cents, far below the cost and budget thresholds.
    expect(names).not.toContain('High LLM cost');
    expect(names).not.toContain('Monthly budget at risk');
    expect(names).not.toContain('DatasourceNoData');
    for (const alert of alerts) {
      expect(alert.annotations.summary).not.toMatch(/\{\{/);
    }
  });

  describe.each(VIEWPORTS)('at $name width ($width px)', (viewport) => {
    it.each(PAGES)('$name shows the known figures with no page error', async ({ name, path: pagePath, figures }) => {
      const { page, errors } = await open(viewport, `/a/${PLUGIN_ID}/${pagePath}`);
      try {
        for (const [title, text] of figures) {
          await expectPanelShows(page, title, typeof text === 'function' ? text() : text, errors);
        }
        const problems: string[] = [];
        for (const title of new Set(figures.map(([title]) => title))) {
          problems.push(...(await visibilityProblems(page, title)));
        }
        for (const [title, columns] of TABLE_COLUMNS[name] ?? []) {
          const shown = await visibleColumns(page, title);
          const wanted = viewport.name === 'desktop' ? columns : columns.slice(0, 1);
          for (const column of wanted) {
            if (!shown.includes(column)) {
              problems.push(
                `${title}: column "${column}" is not visible at ${viewport.name} width (shown: ${shown.join(', ')})`
              );
            }
          }
        }
        await page.getByTestId('tokenmeter-refresh-indicator').filter({ hasText: 'Auto-refresh every 1m' }).waitFor();
        if (name === 'models') {
          // The page's 30-day axis holds 30 days of series (the harness's backfilled history).
          for (const title of TIME_SERIES_OVER_THE_PERIOD) {
            const share = await drawnShare(page, title);
            if (share < 0.5) {
              problems.push(`${title}: the series cover ${(share * 100).toFixed(0)}% of the chart's width`);
            }
            // Two series a person cannot tell apart read as one.
            const colours = await seriesColours(page, title);
            if (colours.length < 2 || new Set(colours).size !== colours.length) {
              problems.push(`${title}: its ${colours.length} series are drawn in the colours ${colours.join(', ')}`);
            }
          }
        }
        if (name === 'overview') {
          const banner = page.getByTestId('tokenmeter-firing-alerts');
          await banner.waitFor();
          const names = await banner.locator('li strong').allInnerTexts();
          expect(names).toEqual(alerts.map((alert) => alert.labels.alertname).sort((a, b) => a.localeCompare(b)));
          problems.push(...(await bannerProblems(page)));
        }
        await page.screenshot({ path: path.join(ARTIFACTS, `${viewport.name}-${name}.png`), fullPage: true });
        expect(errors).toEqual([]);
        expect(harness!.queryErrors()).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  });

  it('the Configuration page saves what it shows into jsonData and shows the saved values after reload', async () => {
    const { page, errors } = await open(VIEWPORTS[0], `/plugins/${PLUGIN_ID}`);
    try {
      const budget = page.getByLabel('Monthly budget (USD)');
      await budget.fill('250');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.waitForFunction(() => document.readyState === 'complete');
      await page.getByLabel('Monthly budget (USD)').and(page.locator('[value="250"]')).waitFor();
      expect(harness!.savedSettings()).toMatchObject({ enabled: true, jsonData: { monthlyBudgetUsd: 250 } });
      await page.screenshot({ path: path.join(ARTIFACTS, 'desktop-configuration.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
