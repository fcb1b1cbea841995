// The naive baseline of the workload bench, run as its own process: list every pod and every event of the cluster,
// 500 a page, with the project's own client (forEachPage of src/cluster/access/http.ts, bundled by workload.bench.mjs),
// counting items and dropping each page. Prints one JSON line {pods, events} or {error}.
// Usage: node bench/workloadNaive.mjs CLIENT_BUNDLE KUBECONFIG
import { createRequire } from 'node:module';

const [bundle, kubeconfigPath] = process.argv.slice(2);
const { forEachPage, loadKubeConfig, closeConnections } = createRequire(import.meta.url)(bundle);
const acc = loadKubeConfig({ kubeconfigPath, requestTimeoutMs: 60_000 });
if (!acc.ok) throw new Error(acc.error.message);
const count = async (path, resource) => {
  const r = await forEachPage(acc.value, { path, verb: 'list', resource, what: `listing ${resource}` }, () => {}, 500);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
try {
  const pods = await count('/api/v1/pods', 'pods');
  const events = await count('/api/v1/events', 'events');
  console.log(JSON.stringify({ pods, events }));
} catch (e) {
  console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
  process.exitCode = 1;
} finally {
  closeConnections();
}
