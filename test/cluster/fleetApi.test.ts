// The fleet scenario's API server answers as kube-apiserver would, seen through the project's own client
// (loadKubeConfig + requestJson / listAll over real HTTPS with the kubeconfig's CA and token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../../src/demo/apiServer';
import { loadKubeConfig, type ClusterAccess } from '../../src/cluster/index';
import { listAll, requestJson } from '../../src/cluster/access/http';

const NOW = Date.parse('2026-11-27T17:00:00Z');

interface Obj {
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; controller: boolean }[];
  };
  spec?: { nodeName?: string; initContainers?: { name: string; restartPolicy?: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    qosClass?: string;
    containerStatuses?: {
      name: string;
      restartCount: number;
      state: { terminated?: { reason: string; exitCode: number } };
      lastState: {
        terminated?: { reason: string; exitCode: number; finishedAt: string; startedAt: string; containerID: string };
      };
    }[];
  };
}
interface Ev {
  involvedObject: { kind: string; name: string; namespace?: string; uid: string };
  reason: string;
  type: string;
  source: { component: string; host?: string };
  lastTimestamp: string;
  message: string;
}

async function fleetServer(): Promise<{ server: ApiServer; access: ClusterAccess; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-fleet-'));
  const server = await startApiServer({ scenario: 'fleet', dir, startTime: NOW, autoStep: false });
  const acc = loadKubeConfig({ kubeconfigPath: server.kubeconfigPath, requestTimeoutMs: 5000 });
  if (!acc.ok) throw new Error(acc.error.message);
  return {
    server,
    access: acc.value,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const spec = (path: string) => ({ path, verb: 'list', resource: 'pods', what: 'listing pods' });

async function names(access: ClusterAccess, path: string, pageSize = 500): Promise<string[]> {
  const r = await listAll<Obj>(access, spec(path), pageSize);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value.map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));
}

/** The raw body and status of a GET (to see the Status object the client turns into an error). */
function raw(server: ApiServer, path: string): Promise<{ code: number; body: Record<string, unknown> }> {
  const ca = Buffer.from(
    /certificate-authority-data: (\S+)/.exec(readFileSync(server.kubeconfigPath, 'utf8'))![1]!,
    'base64',
  );
  return new Promise((resolve, reject) => {
    https
      .get(`${server.url}${path}`, { ca, headers: { authorization: `Bearer ${server.token}` } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      })
      .on('error', reject);
  });
}

const q = (s: string): string => encodeURIComponent(s);

void test('fleet: nodes present are listed (the deleted one is not), 16Gi each, paged', async (t) => {
  const f = await fleetServer();
  t.after(() => f.close());
  assert.deepEqual(await names(f.access, '/api/v1/nodes', 2), ['fleet-a', 'fleet-b', 'fleet-c']);
  const n = await requestJson<{ status: { capacity: { memory: string } } }>(f.access, {
    ...spec('/api/v1/nodes/fleet-b'),
    verb: 'get',
  });
  assert.ok(n.ok);
  assert.equal(n.value.status.capacity.memory, `${16 * 1024 * 1024}Ki`);
  const gone = await requestJson(f.access, { ...spec('/api/v1/nodes/fleet-gone'), verb: 'get' });
  assert.equal(!gone.ok && gone.error.kind, 'not-found');
  const body = await raw(f.server, '/api/v1/nodes/fleet-gone');
  assert.equal(body.code, 404);
  assert.deepEqual(body.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'nodes "fleet-gone" not found',
    reason: 'NotFound',
    code: 404,
  });
});

void test("fleet: label selectors (equality and set-based) pick a workload's pods in its namespace only", async (t) => {
  const f = await fleetServer();
  t.after(() => f.close());
  const shopApi = ['shop/api-7d9f8c6b5-a1b2c', 'shop/api-7d9f8c6b5-d3e4f', 'shop/api-7d9f8c6b5-g5h6i'];
  assert.deepEqual(await names(f.access, `/api/v1/namespaces/shop/pods?labelSelector=${q('app=api')}`), shopApi);
  // All namespaces: the staging noise has the same labels; the pod on the deleted node is gone.
  assert.deepEqual(await names(f.access, `/api/v1/pods?labelSelector=${q('app==api')}`), [
    ...shopApi,
    'staging/api-5f6d7c8b9-s7t8u',
  ]);
  assert.deepEqual(
    await names(f.access, `/api/v1/pods?labelSelector=${q('app in (api, cache),pod-template-hash notin (5f6d7c8b9)')}`),
    [...shopApi, 'shop/cache-0', 'shop/cache-1', 'shop/cache-2'],
  );
  assert.deepEqual(await names(f.access, `/api/v1/namespaces/shop/pods?labelSelector=${q('app!=api')}`), [
    'shop/cache-0',
    'shop/cache-1',
    'shop/cache-2',
  ]);
  assert.deepEqual(await names(f.access, `/api/v1/pods?labelSelector=${q('!pod-template-hash,!job-name')}`), [
    'shop/cache-0',
    'shop/cache-1',
    'shop/cache-2',
  ]);
  assert.deepEqual(await names(f.access, `/api/v1/pods?labelSelector=${q('batch.kubernetes.io/job-name')}`), [
    'batch/report-generator-29150480-q4w8n',
  ]);
  const bad = await raw(f.server, `/api/v1/pods?labelSelector=${q('app in (api')}`);
  assert.equal(bad.code, 400);
  assert.equal(bad.body['reason'], 'BadRequest');
});

void test('fleet: field selectors on pods (node, name, phase); unsupported field labels are a 400', async (t) => {
  const f = await fleetServer();
  t.after(() => f.close());
  assert.deepEqual(await names(f.access, `/api/v1/pods?fieldSelector=${q('spec.nodeName=fleet-a')}`), [
    'shop/api-7d9f8c6b5-a1b2c',
    'shop/cache-0',
    'staging/api-5f6d7c8b9-s7t8u',
  ]);
  assert.deepEqual(await names(f.access, `/api/v1/pods?fieldSelector=${q('status.phase=Failed')}`), [
    'batch/report-generator-29150480-q4w8n',
    'shop/api-7d9f8c6b5-g5h6i',
  ]);
  assert.deepEqual(
    await names(
      f.access,
      `/api/v1/namespaces/shop/pods?fieldSelector=${q('metadata.name=cache-1,spec.nodeName!=fleet-a')}`,
    ),
    ['shop/cache-1'],
  );
  const bad = await raw(f.server, `/api/v1/pods?fieldSelector=${q('spec.nodename=fleet-a')}`);
  assert.equal(bad.code, 400);
  assert.equal(bad.body['message'], 'field label not supported: spec.nodename');
});

void test('fleet: pods carry what happened to them (lastState OOMKilled, eviction, Job pod terminated, sidecar, owners)', async (t) => {
  const f = await fleetServer();
  t.after(() => f.close());
  const get = async (ns: string, name: string): Promise<Obj> => {
    const r = await requestJson<Obj>(f.access, { ...spec(`/api/v1/namespaces/${ns}/pods/${name}`), verb: 'get' });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.value;
  };
  const a = await get('shop', 'api-7d9f8c6b5-a1b2c');
  const api = a.status!.containerStatuses!.find((c) => c.name === 'api')!;
  assert.equal(api.restartCount, 1);
  assert.equal(api.lastState.terminated?.reason, 'OOMKilled');
  assert.equal(api.lastState.terminated?.exitCode, 137);
  assert.equal(api.lastState.terminated?.finishedAt, new Date(NOW - 30 * 60_000).toISOString().replace('.000Z', 'Z'));
  assert.equal(a.status!.qosClass, 'Burstable');
  assert.deepEqual(
    a.spec!.initContainers!.map((c) => [c.name, c.restartPolicy]),
    [['log-shipper', 'Always']],
  );
  assert.deepEqual(
    a.metadata.ownerReferences!.map((o) => [o.kind, o.name, o.controller]),
    [['ReplicaSet', 'api-7d9f8c6b5', true]],
  );
  const c = await get('shop', 'api-7d9f8c6b5-d3e4f');
  assert.equal(
    c.status!.containerStatuses![0]!.lastState.terminated?.finishedAt,
    new Date(NOW - 2 * 3600_000).toISOString().replace('.000Z', 'Z'),
  );
  const d = await get('shop', 'api-7d9f8c6b5-g5h6i');
  assert.equal(d.status!.phase, 'Failed');
  assert.equal(d.status!.reason, 'Evicted');
  assert.match(
    d.status!.message!,
    /^The node was low on resource: memory\. Threshold quantity: 100Mi, available: \d+Ki\. Container api was using 481280Ki, request is 256Mi, has larger consumption of memory\. $/,
  );
  const job = await get('batch', 'report-generator-29150480-q4w8n');
  assert.equal(job.status!.phase, 'Failed');
  assert.equal(job.status!.containerStatuses![0]!.state.terminated?.reason, 'OOMKilled');
  assert.equal(job.metadata.labels!['batch.kubernetes.io/job-name'], 'report-generator-29150480');
  assert.ok(job.metadata.labels!['batch.kubernetes.io/controller-uid']);
  assert.equal(job.metadata.labels!['controller-uid'], job.metadata.labels!['batch.kubernetes.io/controller-uid']);
  const cache = await get('shop', 'cache-2');
  assert.equal(cache.metadata.labels!['apps.kubernetes.io/pod-index'], '2');
  assert.equal(cache.metadata.labels!['statefulset.kubernetes.io/pod-name'], 'cache-2');
  assert.equal(cache.spec!.nodeName, 'fleet-c');
  // The pod on the deleted node and the deleted Job's pod: only in Prometheus.
  for (const [ns, n] of [
    ['shop', 'api-7d9f8c6b5-z9y8x'],
    ['batch', 'report-generator-29150420-k7x2m'],
  ]) {
    const r = await requestJson(f.access, { ...spec(`/api/v1/namespaces/${ns}/pods/${n}`), verb: 'get' });
    assert.equal(!r.ok && r.error.kind, 'not-found', n);
  }
  // Namespaces are separate: shop's pod is not in staging.
  const other = await raw(f.server, '/api/v1/namespaces/staging/pods/api-7d9f8c6b5-a1b2c');
  assert.equal(other.code, 404);
  assert.equal(other.body['message'], 'pods "api-7d9f8c6b5-a1b2c" not found');
});

void test('fleet: workloads by name (apps/v1, batch/v1) and their lists; the deleted Job 404s', async (t) => {
  const f = await fleetServer();
  t.after(() => f.close());
  const get = <T>(path: string) => requestJson<T>(f.access, { ...spec(path), verb: 'get' });
  const d = await get<{
    spec: {
      selector: { matchLabels: Record<string, string> };
      template: { spec: { containers: { resources: { limits: { memory: string } } }[] } };
    };
  }>('/apis/apps/v1/namespaces/shop/deployments/api');
  assert.ok(d.ok);
  assert.deepEqual(d.value.spec.selector.matchLabels, { app: 'api' });
  assert.equal(d.value.spec.template.spec.containers[0]!.resources.limits.memory, '512Mi');
  const rs = await get<Obj>('/apis/apps/v1/namespaces/shop/replicasets/api-7d9f8c6b5');
  assert.ok(rs.ok);
  assert.deepEqual(
    rs.value.metadata.ownerReferences!.map((o) => [o.kind, o.name]),
    [['Deployment', 'api']],
  );
  const job = await get<Obj>('/apis/batch/v1/namespaces/batch/jobs/report-generator-29150480');
  assert.ok(job.ok);
  assert.deepEqual(
    job.value.metadata.ownerReferences!.map((o) => [o.kind, o.name]),
    [['CronJob', 'report-generator']],
  );
  assert.ok((await get('/apis/batch/v1/namespaces/batch/cronjobs/report-generator')).ok);
  assert.ok((await get('/apis/apps/v1/namespaces/shop/statefulsets/cache')).ok);
  const gone = await raw(f.server, '/apis/batch/v1/namespaces/batch/jobs/report-generator-29150420');
  assert.equal(gone.code, 404);
  assert.equal(gone.body['message'], 'jobs.batch "report-generator-29150420" not found');
  const noDs = await raw(f.server, '/apis/apps/v1/namespaces/staging/deployments/cache');
  assert.equal(noDs.body['message'], 'deployments.apps "cache" not found');
  assert.deepEqual(await names(f.access, '/apis/apps/v1/deployments'), ['shop/api', 'staging/api']);
  assert.deepEqual(await names(f.access, '/apis/batch/v1/namespaces/batch/jobs'), ['batch/report-generator-29150480']);
  assert.deepEqual(await names(f.access, '/apis/apps/v1/namespaces/shop/daemonsets'), []);
});

void test('fleet: events within the 1 h TTL only, with field selectors, paged', async (t) => {
  const f = await fleetServer();
  t.after(() => f.close());
  const all = await listAll<Ev>(f.access, spec('/api/v1/events'), 3);
  assert.ok(all.ok);
  const cut = NOW - 3600_000;
  assert.ok(all.value.length > 5);
  assert.ok(
    all.value.every((e) => Date.parse(e.lastTimestamp) > cut),
    'nothing older than the TTL',
  );
  // The system OOM 2 h ago on fleet-b left its SystemOOM event past the TTL: gone.
  assert.ok(!all.value.some((e) => e.reason === 'SystemOOM'));
  const evicted = await listAll<Ev>(
    f.access,
    spec(
      `/api/v1/namespaces/shop/events?fieldSelector=${q('involvedObject.kind=Pod,involvedObject.name=api-7d9f8c6b5-g5h6i,reason=Evicted')}`,
    ),
  );
  assert.ok(evicted.ok);
  assert.equal(evicted.value.length, 1);
  const e = evicted.value[0]!;
  assert.equal(e.type, 'Warning');
  assert.deepEqual(e.source, { component: 'kubelet', host: 'fleet-c' });
  assert.equal(e.involvedObject.namespace, 'shop');
  const byUid = await listAll<Ev>(
    f.access,
    spec(`/api/v1/events?fieldSelector=${q(`involvedObject.uid=${e.involvedObject.uid},reason!=Evicted`)}`),
  );
  assert.ok(byUid.ok);
  assert.deepEqual(
    byUid.value.map((x) => x.reason),
    ['Killing', 'Killing'],
  );
  const nodeEv = await listAll<Ev>(
    f.access,
    spec(
      `/api/v1/events?fieldSelector=${q('involvedObject.kind=Node,involvedObject.name=fleet-c,type=Warning,source=kubelet')}`,
    ),
  );
  assert.ok(nodeEv.ok);
  assert.deepEqual(
    nodeEv.value.map((x) => x.reason),
    ['EvictionThresholdMet'],
  );
  // Namespaces are separate: the staging pod's restart events are not in shop.
  const staging = await listAll<Ev>(f.access, spec('/api/v1/namespaces/staging/events'));
  assert.ok(staging.ok);
  assert.ok(staging.value.length > 0 && staging.value.every((x) => x.involvedObject.namespace === 'staging'));
  const shop = await listAll<Ev>(f.access, spec('/api/v1/namespaces/shop/events'));
  assert.ok(shop.ok && !shop.value.some((x) => x.involvedObject.name.includes('s7t8u')));
});

void test('fleet: paging returns every item once with an opaque continue token; an unknown token is 410 Expired', async (t) => {
  const f = await fleetServer();
  t.after(() => f.close());
  const first = await requestJson<{ items: Obj[]; metadata: { continue?: string; remainingItemCount?: number } }>(
    f.access,
    spec('/api/v1/pods?limit=4'),
  );
  assert.ok(first.ok);
  assert.equal(first.value.items.length, 4);
  const token = first.value.metadata.continue!;
  const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { v: string; start: string };
  assert.equal(decoded.v, 'meta.k8s.io/v1');
  assert.ok(decoded.start.endsWith('\u0000'));
  assert.equal(first.value.metadata.remainingItemCount, 8 - 4);
  const paged = await names(f.access, '/api/v1/pods', 3);
  const whole = await names(f.access, '/api/v1/pods', 500);
  assert.deepEqual(paged, whole);
  assert.equal(new Set(whole).size, 8);
  assert.deepEqual(whole, [...whole].sort());
  const stale = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 1, start: 'shop/x\u0000' })).toString('base64');
  const expired = await raw(f.server, `/api/v1/pods?limit=2&continue=${q(stale)}`);
  assert.equal(expired.code, 410);
  assert.equal(expired.body['reason'], 'Expired');
  assert.ok(f.server.requests.bytes > 1000, 'bytes sent are counted');
});

void test('fleet-scale: a Deployment of 50 pods over 40 nodes found by selector among many, paged', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-fleet-'));
  const server = await startApiServer({
    scenario: 'fleet-scale',
    dir,
    startTime: NOW,
    autoStep: false,
    fleet: { nodes: 500, pods: 6000, events: 4000, workloads: 80 },
  });
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const acc = loadKubeConfig({ kubeconfigPath: server.kubeconfigPath, requestTimeoutMs: 5000 });
  assert.ok(acc.ok);
  const pods = await listAll<Obj>(acc.value, spec(`/api/v1/namespaces/shop/pods?labelSelector=${q('app=api')}`), 20);
  assert.ok(pods.ok);
  assert.equal(pods.value.length, 50);
  assert.equal(new Set(pods.value.map((p) => p.spec!.nodeName)).size, 40);
  const restarted = pods.value.filter((p) => p.status!.containerStatuses!.some((c) => c.restartCount > 0));
  assert.ok(restarted.length >= 5, `${restarted.length} restarted`);
  assert.equal((await names(acc.value, '/api/v1/nodes', 200)).length, 500);
  const all = await listAll<Obj>(acc.value, spec('/api/v1/pods'), 1000);
  assert.ok(all.ok);
  // Every pod is live: the evicted one stays, as a Failed pod object does.
  assert.equal(all.value.length, 6000);
  assert.equal(new Set(all.value.map((p) => p.metadata.uid)).size, 6000);
});
