// Issue 16: a keystroke in the 1,000-document file does not wait for a cluster refresh. Spawns dist/server.js --stdio
// (default debounce, as a user runs it), opens the generated file of bench/lsp.bench.mjs, then times, side by side:
//   edit                           one-character edit → publishDiagnostics of that version (baseline);
//   edit-during-refresh            `oomscope/observedWorkloads` (alternating between two observation sets, so each is
//                                  a real change), at once the edit → the first publish of the edit's version (the
//                                  keystroke's); then → the publish of that version that carries the new set's
//                                  oom-killed-recently findings (completeMs; each must come, counted, reported);
//   edit-during-full-revalidation  the alternative design (an observation change invalidates every document),
//                                  emulated by `oomscope/connectedNode` with alternating capacity (it changes the
//                                  settings key, so every document is analyzed again), at once the edit.
// and, without an edit, each notification → its next publish (refreshMedianMs). Median and max of KEYSTROKES runs,
// each after the server went quiet. One JSON line per case; no time is asserted. Exits non-zero when the server does
// not answer within WAIT_MS or a publish lacks the new observations.
// A fourth line, edit-5ms-into-refresh, sends the edit 5 ms after the notification: the refresh's run has started
// when the keystroke arrives (with no gap the server usually reads both at once and makes one run of them).
// The observation sets carry `nodes: []`: the server refuses an observation without its nodes (src/server/observations.ts).
// Usage: npm run build && node bench/lspRefresh.bench.mjs [--keystrokes=N]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateManifests } from './lsp/generate.mjs';
import { startClient } from './lsp/harness.mjs';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const DOCS = 1000;
const OBSERVED = 50;
const WAIT_MS = 60_000;
const QUIET_MS = 300; // > the server's 150 ms debounce: every keystroke starts from an idle server
const arg = (name, dflt) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const KEYSTROKES = arg('keystrokes', 20);
const LATE_MS = 5;
const MI = 1024 * 1024;
const GENERATED_AT = Date.UTC(2025, 2, 12, 9, 30);

// The manifests' own names: generateManifests makes document i `svc-${i}` in namespace `team-${i % 7}`, a Deployment
// when i % 12 is 0 or 11, whose first container `main` has the memory limit of MISTAKES[i % 14] (see generate.mjs).
const deployments = [];
for (let i = 0; deployments.length < OBSERVED; i++)
  if (i % 12 === 0 || i % 12 === 11) deployments.push({ name: `svc-${i}`, namespace: `team-${i % 7}` });

/** GENERATED observations (hand-picked numbers, no cluster): `kills` kills of `main` at a 512Mi limit each. */
function observationSet(kills) {
  return {
    context: 'bench',
    defaultNamespace: 'default',
    workloads: deployments.map(({ name, namespace }) => ({
      kind: 'Deployment',
      name,
      namespace,
      context: 'bench',
      generatedAt: GENERATED_AT,
      windowHours: 24,
      nodes: [],
      containers: [
        {
          name: 'main',
          p95Bytes: 400 * MI,
          peakBytes: 511 * MI,
          kills: Array.from({ length: kills }, (_, k) => ({
            t: GENERATED_AT - (k + 1) * 3_600_000,
            class: 'container-limit',
            precededBy: 'pressure',
            precedingSeconds: 30,
            precededJudged: true,
            workingSetBytes: 511 * MI,
            limitBytes: 512 * MI,
            pod: `${name}-6d4f-k${k}`,
          })),
        },
      ],
    })),
  };
}
const SETS = [observationSet(1), observationSet(2)];
const NODES = [16, 32].map((gi) => ({
  context: 'bench',
  node: 'bench-node',
  capacityBytes: gi * 1024 * MI,
  swapBehavior: null,
  swapCapacityBytes: null,
}));

/** The oom-killed-recently diagnostics of a publish, and how many of them are not of the set with `kills` kills. */
function clusterFindings(p, kills) {
  const found = p.diagnostics.filter((d) => d.code === 'oom-killed-recently');
  return { count: found.length, stale: found.filter((d) => !d.message.startsWith(`OOM-killed ${kills}×`)).length };
}

/** The position of a one-character insertion in the middle document's description. */
function middlePosition(text) {
  const offset = text.indexOf(`"Service ${DOCS / 2} of`) + 1;
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  return { median: Math.round(s[Math.floor(s.length / 2)]), max: Math.round(s[s.length - 1]) };
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} not found: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-lsp-refresh-'));
  const client = await startClient({ command: process.execPath, args: [SERVER, '--stdio'], root: dir }, WAIT_MS);
  const failures = [];
  try {
    const uri = pathToFileURL(join(dir, `manifests-${DOCS}.yaml`)).href;
    const text = generateManifests(DOCS);
    const at = middlePosition(text);
    let version = 1;
    const opened = client.nextDiagnostics(uri, () => true, 'open → diagnostics');
    await client.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
    await opened;
    let setIndex = 0;
    let nodeIndex = 0;
    /**
     * Sends `before` (a notification or nothing), `gapMs` later the keystroke; ms from the keystroke to its first
     * publish, and (after an observation set) to the publish of its version with the new set's findings.
     */
    const keystroke = async (before, gapMs = 0, kills = 0) => {
      await client.quiet(QUIET_MS);
      const v = ++version;
      const published = client.nextDiagnostics(uri, (p) => p.version === v, `edit v${v} → diagnostics`);
      const complete = kills
        ? client.nextDiagnostics(
            uri,
            (p) => p.version === v && clusterFindings(p, kills).count === OBSERVED && !clusterFindings(p, kills).stale,
            `edit v${v} → diagnostics with the new observations`,
          )
        : null;
      if (before) await before();
      if (gapMs) await sleep(gapMs);
      const t0 = performance.now();
      await client.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: at, end: at }, text: 'x' }],
      });
      await published;
      const ms = performance.now() - t0;
      if (!complete) return { ms };
      const p = await complete;
      return { ms, completeMs: performance.now() - t0, p };
    };
    const nextSet = () => {
      setIndex = 1 - setIndex;
      return client.conn.sendNotification('oomscope/observedWorkloads', SETS[setIndex]);
    };
    const nextNode = () => {
      nodeIndex = 1 - nodeIndex;
      return client.conn.sendNotification('oomscope/connectedNode', NODES[nodeIndex]);
    };
    /** Notification alone → the next publish; ms. */
    const refresh = async (send) => {
      await client.quiet(QUIET_MS);
      const published = client.nextDiagnostics(uri, () => true, 'refresh → diagnostics');
      const t0 = performance.now();
      await send();
      const p = await published;
      return { ms: performance.now() - t0, p };
    };
    for (let i = 0; i < 3; i++) await keystroke(null); // warm-up, not counted
    /** KEYSTROKES runs of `once`; their times, and with `checked` each publish's cluster findings checked. */
    const repeat = async (once, checked = false) => {
      const ms = [];
      const completeMs = [];
      let findings = null;
      for (let i = 0; i < KEYSTROKES; i++) {
        const r = await once();
        ms.push(r.ms);
        if (r.completeMs !== undefined) completeMs.push(r.completeMs);
        if (!checked) continue;
        findings = clusterFindings(r.p, setIndex + 1);
        if (findings.count !== OBSERVED || findings.stale > 0)
          failures.push(
            `v${r.p.version}: ${findings.count} oom-killed-recently, ${findings.stale} of the previous set`,
          );
      }
      return { ...stats(ms), complete: completeMs.length ? stats(completeMs) : null, findings };
    };
    const cases = [{ case: 'edit', edit: await repeat(() => keystroke(null)) }];
    const during = await repeat(() => keystroke(nextSet, 0, 2 - setIndex), true);
    const refreshed = await repeat(() => refresh(nextSet), true);
    cases.push({ case: 'edit-during-refresh', edit: during, refresh: refreshed, findings: during.findings });
    const late = await repeat(() => keystroke(nextSet, LATE_MS, 2 - setIndex), true);
    cases.push({ case: 'edit-5ms-into-refresh', edit: late, findings: late.findings, gapMs: LATE_MS });
    const full = await repeat(() => keystroke(nextNode));
    const fullRefresh = await repeat(() => refresh(nextNode));
    cases.push({ case: 'edit-during-full-revalidation', edit: full, refresh: fullRefresh });

    for (const c of cases)
      console.log(
        JSON.stringify({
          bench: 'lsp-refresh',
          case: c.case,
          docs: DOCS,
          bytes: Buffer.byteLength(text),
          observed: OBSERVED,
          keystrokes: KEYSTROKES,
          ...(c.gapMs ? { gapMs: c.gapMs } : {}),
          editMedianMs: c.edit.median,
          editMaxMs: c.edit.max,
          ...(c.edit.complete ? { completeMedianMs: c.edit.complete.median, completeMaxMs: c.edit.complete.max } : {}),
          ...(c.refresh ? { refreshMedianMs: c.refresh.median, refreshMaxMs: c.refresh.max } : {}),
          ...(c.findings ? { clusterFindings: c.findings.count } : {}),
          editMsTarget: 50,
          method:
            "spawned over stdio; keystroke sent right after the notification (if any), timed to the first publish of its version; complete: to its version's publish with the new observations; refresh: notification alone → next publish",
        }),
      );
  } finally {
    await client.close().catch((e) => failures.push(`close: ${e.message}`));
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures.length)
    throw new Error(`publishes without the new observations, or no clean exit: ${failures.slice(0, 5).join('; ')}`);
}

main().catch((error) => {
  console.error(`lspRefresh.bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
