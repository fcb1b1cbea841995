/**
 * The demo API server's short-lived pods (the node kernel log pod of src/cluster/access/nodeDebugPod.ts):
 * `POST /api/v1/namespaces/{ns}/pods` answers 201 Created with the object (status.phase Pending), each
 * `GET …/pods/{name}` moves it one phase on (Pending → Running → Succeeded; never past Running in the
 * never-finishes mode), `GET …/pods/{name}/log` gives the kernel ring buffer as busybox `dmesg` prints it,
 * `DELETE` answers 200 with the object, then 404 (shapes of the API server's REST handlers:
 * staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go → 201, delete.go → 200 with the object).
 * The kernel log is a real one (test/fixtures/oom-corpus/repo-vijayrod-demo-znode-memory-group-kill-
 * besteffort-kubepods-limit-5.15.log, a group kill under the kubepods limit), its pod UID, container id and
 * uptime rewritten to the scenario's latest OOM kill.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scenario } from './scenarios';
import type { World } from './world';

export const KERNEL_LOG_FIXTURE =
  'test/fixtures/oom-corpus/repo-vijayrod-demo-znode-memory-group-kill-besteffort-kubepods-limit-5.15.log';
const FIXTURE_POD_UID = 'a5d8fdd1_1369_469e_8a7d_2c1047529435';
const FIXTURE_CONTAINER = '9192cb33411ff69d015a3577db136757f5b145064a1703efea3d0e12e8a64987';
/** Seconds since boot of the fixture's kill line. */
const FIXTURE_KILL_UPTIME = 139.201482;

export interface DebugPodLog {
  /** "POST /api/v1/namespaces/default/pods", "DELETE /api/v1/namespaces/default/pods/oomscope-…" in order. */
  requests: string[];
  created: string[];
  deleted: string[];
  /** The pod stays Running (its command never ends). */
  neverFinish: boolean;
  /** Called with each request line as it comes (tests wait on it instead of sleeping). */
  onRequest?: (line: string) => void;
}

interface DebugPod {
  object: { metadata: Record<string, unknown>; spec: Record<string, unknown>; status: Record<string, unknown> };
  gets: number;
}

/** The fixture as `dmesg` prints it (no syslog prefix), rewritten to the scenario's latest kill; null when none. */
export function demoKernelLog(scenario: Scenario, world: World, step: number, fixtureText: string): string {
  const now = world.t(step) / 1000;
  const kills = world.incidentsUpTo(step).filter((i) => i.kind !== 'eviction');
  const last = kills[kills.length - 1];
  const pod = last ? scenario.pods.find((p) => p.name === last.pod) : undefined;
  if (!last || !pod) return `oomscope-clock ${Math.floor(now)} 86400.00 1000.00\n[    0.000000] Linux version 5.15.0\n`;
  const nth = kills.filter((i) => i.pod === last.pod && i.container === last.container).length - 1;
  const boot = world.t(last.step) / 1000 - FIXTURE_KILL_UPTIME;
  const dmesg = fixtureText
    .split('\n')
    .map((l) => l.replace(/^.*? kernel: (?=\[)/, ''))
    .join('\n')
    .replaceAll(FIXTURE_POD_UID, pod.uid.replace(/-/g, '_'))
    .replaceAll(FIXTURE_CONTAINER, world.containerId(pod, last.container, nth));
  return `oomscope-clock ${Math.floor(now)} ${(now - boot).toFixed(2)} 1000.00\n${dmesg}`;
}

/** Serves the debug pod paths; returns false for every other request. */
export function debugPodHandler(
  scenario: Scenario,
  world: World,
  step: () => number,
  log: DebugPodLog,
  send: (res: ServerResponse, code: number, body: unknown, type?: string) => void,
  status: (code: number, reason: string, message: string) => object,
  kernelLog?: string,
): (req: IncomingMessage, res: ServerResponse, url: URL) => boolean {
  const pods = new Map<string, DebugPod>();
  let fixture: string | null = kernelLog ?? null;
  const fixtureText = (): string => (fixture ??= readFileSync(join(process.cwd(), KERNEL_LOG_FIXTURE), 'utf8'));
  return (req, res, url) => {
    const p = url.pathname;
    const create = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(p);
    const one = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(\/log)?$/.exec(p);
    if (create && req.method === 'POST') {
      log.requests.push(`POST ${p}`);
      log.onRequest?.(`POST ${p}`);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: DebugPod['object'];
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DebugPod['object'];
        } catch {
          return send(res, 400, status(400, 'BadRequest', 'the object provided is unrecognized'));
        }
        const name = String(body.metadata?.name ?? '');
        const key = `${create[1]}/${name}`;
        if (pods.has(key)) return send(res, 409, status(409, 'AlreadyExists', `pods "${name}" already exists`));
        body.metadata = { ...body.metadata, namespace: create[1], uid: `debug-${pods.size + 1}` };
        body.status = { phase: 'Pending', qosClass: 'Burstable' };
        pods.set(key, { object: body, gets: 0 });
        log.created.push(name);
        send(res, 201, body);
      });
      return true;
    }
    if (!one || !one[2]!.startsWith('oomscope-')) return false;
    const key = `${one[1]}/${one[2]}`;
    const pod = pods.get(key);
    log.requests.push(`${req.method} ${p}`);
    log.onRequest?.(`${req.method} ${p}`);
    if (!pod) return (send(res, 404, status(404, 'NotFound', `pods "${one[2]}" not found`)), true);
    if (req.method === 'DELETE') {
      pods.delete(key);
      log.deleted.push(one[2]!);
      return (send(res, 200, pod.object), true);
    }
    if (one[3]) {
      if (pod.object.status.phase === 'Pending')
        return (
          send(
            res,
            400,
            status(
              400,
              'BadRequest',
              `container "kernel-log" in pod "${one[2]}" is waiting to start: ContainerCreating`,
            ),
          ),
          true
        );
      return (send(res, 200, demoKernelLog(scenario, world, step(), fixtureText()), 'text/plain'), true);
    }
    pod.gets++;
    const phase = pod.gets <= 1 ? 'Pending' : pod.gets === 2 || log.neverFinish ? 'Running' : 'Succeeded';
    const state =
      phase === 'Pending'
        ? { waiting: { reason: 'ContainerCreating' } }
        : phase === 'Running'
          ? { running: { startedAt: new Date(world.t(step())).toISOString() } }
          : { terminated: { exitCode: 0, reason: 'Completed' } };
    pod.object.status = {
      phase,
      qosClass: 'Burstable',
      containerStatuses: [{ name: 'kernel-log', ready: phase === 'Running', restartCount: 0, state }],
    };
    send(res, 200, pod.object);
    return true;
  };
}
