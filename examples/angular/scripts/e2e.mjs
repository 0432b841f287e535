// npm run e2e: builds the app with `ng build`, serves it from loopback next to dynalite,
// opens it once in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// checks what it shows and what it sends (and what it aborts), and saves screenshot.png.
// Without /usr/bin/chromium it skips, unless CI is set (then it fails).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackend } from './backend.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = resolve(fileURLToPath(import.meta.url), '../..');
const started = Date.now();
const since = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (message) => console.log(`[e2e ${since()}] ${message}`);

if (!existsSync(CHROMIUM)) {
  const message = `${CHROMIUM} not found (apt-get install -y chromium)`;
  if (process.env.CI) {
    console.error(`e2e: ${message}; CI is set, so this is a failure.`);
    process.exit(1);
  }
  console.log(`e2e: skipped, ${message}.`);
  process.exit(0);
}

const { chromium } = await import('playwright-core');

// Resolved, not assumed: as an npm workspace, the CLI is hoisted to the root's node_modules.
const ng = createRequire(import.meta.url).resolve('@angular/cli/bin/ng.js');
await run(process.execPath, [ng, 'build'], 'ng build');
const browserDir = join(root, 'dist/rxjs-aws-example-angular/browser');

const UPDATING_MS = 2500;
const backend = await startBackend({ items: 45, updateTableMs: UPDATING_MS, createTableMs: 100 });
const site = await serve(browserDir);
const userDataDir = await mkdtemp(join(tmpdir(), 'rxjs-aws-e2e-chromium-'));
let context;
try {
  log(`dynalite ${backend.endpoint}, app ${site.url}`);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1100, height: 780 },
  });
  const page = context.pages()[0] ?? (await context.newPage());

  // What the browser sends to DynamoDB, and what goes wrong in the page.
  const sent = [];
  const failed = [];
  const problems = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(backend.endpoint) || request.method() !== 'POST') return;
    const operation = (request.headers()['x-amz-target'] ?? '').split('.')[1];
    sent.push({ operation, input: request.postDataJSON(), at: Date.now() });
  });
  page.on('requestfailed', (request) => {
    if (!request.url().startsWith(backend.endpoint) || request.method() !== 'POST') return;
    const operation = (request.headers()['x-amz-target'] ?? '').split('.')[1];
    failed.push({ operation, input: request.postDataJSON(), error: request.failure()?.errorText });
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx response; TableExists expects ResourceNotFoundException (a 400).
    if (message.type() === 'error' && !/status of 400/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  const count = (operation, table) => sent.filter((s) => s.operation === operation && s.input.TableName === table).length;
  const expect = (ok, what) => {
    if (!ok)
      throw new Error(
        `${what}\nsent: ${JSON.stringify(sent.map((s) => [s.operation, s.input.TableName]))}\nproblems: ${problems.join('\n')}`,
      );
    log(`ok: ${what}`);
  };
  const summary = page.getByTestId('summary');

  // 1. The table is UPDATING when the app opens: TableExists retries until it is ACTIVE.
  await backend.updateMusic();
  await page.goto(`${site.url}/?endpoint=${encodeURIComponent(backend.endpoint)}&table=music`);
  await page.locator('[data-testid=attempts] li[data-state=success]').waitFor({ timeout: UPDATING_MS + 10_000 });
  const attempts = await page
    .locator('[data-testid=attempts] li[data-state]')
    .evaluateAll((lis) =>
      lis.map((li) => [...li.querySelectorAll('span')].map((span) => span.textContent.replace(/\s+/g, ' ').trim()).join(' ')),
    );
  log(`attempts:\n  ${attempts.join('\n  ')}`);
  expect(
    attempts.length >= 2 && /UPDATING/.test(attempts[0]) && /ACTIVE/.test(attempts.at(-1)),
    'progress shows UPDATING → retry, then ACTIVE → success',
  );
  await page.getByTestId('status').filter({ hasText: 'ready' }).waitFor();

  // 2. The first page comes on readiness; each click asks for exactly one more.
  await summary.filter({ hasText: '10 items in 1 page' }).waitFor();
  expect(count('Scan', 'music') === 1, 'one Scan for the first page');
  await page.getByTestId('more').click();
  await summary.filter({ hasText: '20 items in 2 pages' }).waitFor();
  expect(count('Scan', 'music') === 2, 'a click: exactly one more Scan');
  await page.getByTestId('more').click();
  await summary.filter({ hasText: '30 items in 3 pages' }).waitFor();
  await page.waitForTimeout(300);
  const scans = sent.filter((s) => s.operation === 'Scan');
  expect(scans.length === 3, 'three pages, three Scans, none ahead of demand');
  expect(
    scans.every((s, i) => s.input.Limit === 10 && (i === 0) === (s.input.ExclusiveStartKey === undefined)),
    'Limit 10, ExclusiveStartKey from the page before',
  );
  const token = await page.getByTestId('resume-token').locator('code').innerText();
  const decoded = JSON.parse(Buffer.from(token, 'base64').toString('ascii'));
  expect(typeof decoded.ExclusiveStartKey?.pk?.S === 'string', `resumeTokenOf works in the browser (${JSON.stringify(decoded)})`);
  expect(problems.length === 0, 'no page errors');

  // 3. Count items: its progress events, shown as a signal, page by page; every Scan through the one governor.
  const countProgress = page.getByTestId('count-progress');
  const lines = new Set();
  const scansBefore = count('Scan', 'music');
  await page.getByTestId('count').click();
  for (let state; state !== 'done';) {
    lines.add(await countProgress.innerText().catch(() => ''));
    state = await countProgress.getAttribute('data-state').catch(() => undefined);
    await page.waitForTimeout(40);
  }
  const counted = await countProgress.innerText();
  log(`count: ${counted}`);
  expect(
    /^45 items · 5 pages · 5 requests · last \d+ ms · queued \d+\.\d\d s · done$/.test(counted),
    'the count: 45 items in 5 pages',
  );
  const counts = sent.filter((s) => s.operation === 'Scan' && s.input.Select === 'COUNT');
  expect(count('Scan', 'music') === scansBefore + 5 && counts.length === 5, 'five Scans with Select COUNT');
  const pagesSeen = [...lines].filter((line) => line.endsWith('counting')).map((line) => line.split(' · ')[1]);
  expect(new Set(pagesSeen).size >= 3, `progress shown page by page while counting (${[...new Set(pagesSeen)].join(', ')})`);
  // Five Scans at 5 a second, a burst of one: 0.8 s from the first to the last (less what the event timing jitters).
  const span = counts.at(-1).at - counts[0].at;
  expect(span >= 700, `Scans paced at 5 a second (${counts.map((s) => s.at - counts[0].at).join(', ')} ms)`);
  const allScans = count('Scan', 'music');
  await page
    .getByTestId('governor')
    .filter({ hasText: `DynamoDB.Scan: ${allScans} sent at 5.0/s` })
    .waitFor();
  log(`ok: one governor for the list and the count: DynamoDB.Scan ${allScans} sent`);
  expect(problems.length === 0, 'no page errors');
  await page.screenshot({ path: join(root, 'screenshot.png'), fullPage: true });
  log('screenshot.png saved');

  // 4. Cancel: the AbortSignal aborts the Scan in flight in the browser, and nothing more is sent.
  backend.setScanDelay(10_000);
  const abortedBefore = backend.abortedScans();
  await page.getByTestId('count').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=cancel]').disabled);
  await waitUntil(() => count('Scan', 'music') === allScans + 1, 'the count’s first Scan to be sent');
  const held = count('Scan', 'music');
  await page.waitForTimeout(200);
  await page.getByTestId('cancel').click();
  await page.locator('[data-testid=count-progress][data-state=cancelled]').waitFor();
  await waitUntil(() => failed.some((f) => f.operation === 'Scan'), 'the browser to fail the Scan as aborted');
  await waitUntil(() => backend.abortedScans() === abortedBefore + 1, 'dynalite to see the Scan’s connection close');
  expect(failed.at(-1).error === 'net::ERR_ABORTED', `the Scan in flight was aborted (${failed.at(-1).error})`);
  backend.setScanDelay(0);
  await page.waitForTimeout(800);
  expect(count('Scan', 'music') === held, `no Scan after the cancel (${await countProgress.innerText()})`);

  // 5. Switching tables cancels the poll of the one left.
  const scansBeforeSwitch = count('Scan', 'music');
  await page.getByTestId('table').selectOption('podcasts');
  await page.locator('[data-testid=attempts] li', { hasText: 'ResourceNotFoundException' }).nth(1).waitFor();
  await page.getByTestId('table').selectOption('music');
  const left = count('DescribeTable', 'podcasts');
  await page.waitForTimeout(2500); // more than two delays of 1 s
  expect(count('DescribeTable', 'podcasts') === left, `no DescribeTable of podcasts after switching away (${left} before)`);
  await summary.filter({ hasText: '10 items in 1 page' }).waitFor();
  expect(
    count('Scan', 'music') === scansBeforeSwitch + 1,
    'back on music: its readiness is replayed and the list starts again with one Scan',
  );
  expect(problems.length === 0, 'no page errors');
  log('passed');
} finally {
  await context?.close();
  await Promise.all([site.close(), backend.close(), rm(userDataDir, { recursive: true, force: true })]);
}

async function waitUntil(condition, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
  }
}

function run(command, args, label) {
  log(`${label}…`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${label} exited with ${code}`))));
  });
}

/** A static server on loopback for the built app, index.html for any route. */
async function serve(dir) {
  const types = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.ico': 'image/x-icon',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
    '.json': 'application/json',
    '.txt': 'text/plain',
  };
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    let file = join(dir, path);
    if (
      !file.startsWith(dir + sep) ||
      !(await stat(file).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      file = join(dir, 'index.html');
    response.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    response.end(await readFile(file));
  });
  await new Promise((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolvePromise) => (server.closeAllConnections(), server.close(resolvePromise))),
  };
}
