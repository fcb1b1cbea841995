/**
 * The node's own kernel log, on request: ONE short-lived pod on that node runs busybox `dmesg` and is deleted
 * always (success, cancel, failure, timeout). Least privilege: busybox `dmesg` reads the ring buffer through
 * syslog(2) (klogctl SYSLOG_ACTION_READ_ALL), which needs CAP_SYSLOG when kernel.dmesg_restrict=1 and which
 * the runtimes' default seccomp profile allows only with CAP_SYSLOG. So: not privileged, no host namespaces,
 * no hostPath, every other capability dropped, read-only root filesystem. Compare `kubectl debug node/…`
 * (staging/src/k8s.io/kubectl/pkg/cmd/debug/profiles.go: the general/sysadmin profiles share the host's PID,
 * network and IPC namespaces, mount the node's root at /host, sysadmin is privileged) and node-problem-detector
 * (deployment/node-problem-detector.yaml: privileged, hostPath /dev/kmsg read-only): both far more than this.
 */
import { randomBytes } from 'node:crypto';
import type { ClusterAccess, ClusterError, Result } from './accessTypes';
import { requestJson, requestText } from './http';

export interface NodeDebugOptions {
  /** `oomscope.nodeDebug.image` (a mirror on air-gapped clusters); its shell, date, cat and dmesg are used. */
  image: string;
  /** `oomscope.nodeDebug.namespace`. */
  namespace: string;
  /** The whole run, from create to log; the pod's own activeDeadlineSeconds is this, rounded up. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Between two reads of the pod's phase, default 500 ms. */
  pollMs?: number;
}

export interface NodeKernelLog {
  /** The pod's log: the clock line (`oomscope-clock <epoch s> <uptime s> …`), then the kernel ring buffer. */
  text: string;
  podName: string;
  /** null when the pod was deleted; else the sentence saying it could not be (and how to delete it by hand). */
  cleanup: string | null;
}

/** The label every such pod carries: `kubectl delete pods -l app.kubernetes.io/managed-by=oomscope` finds leftovers. */
export const DEBUG_POD_LABELS = {
  'app.kubernetes.io/managed-by': 'oomscope',
  'app.kubernetes.io/component': 'node-kernel-log',
};

/** The clock line lets the log's `[seconds since boot]` stamps be dated: boot = date − uptime. */
const SCRIPT = 'echo "oomscope-clock $(date +%s) $(cat /proc/uptime)"; exec dmesg';

export const deadlineSecondsOf = (timeoutMs: number): number => Math.max(5, Math.ceil(timeoutMs / 1000));

/** The pod that is created, exactly (the confirmation names the same facts). */
export function debugPodManifest(node: string, name: string, opts: NodeDebugOptions): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.namespace, labels: DEBUG_POD_LABELS },
    spec: {
      nodeName: node,
      restartPolicy: 'Never',
      activeDeadlineSeconds: deadlineSecondsOf(opts.timeoutMs),
      terminationGracePeriodSeconds: 0,
      // An empty key with Exists tolerates every taint (NoSchedule, NoExecute, memory-pressure…).
      tolerations: [{ operator: 'Exists' }],
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'kernel-log',
          image: opts.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', SCRIPT],
          // Requests make it Burstable: the kubelet admits it even under MemoryPressure (it rejects BestEffort pods).
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
          securityContext: {
            // Root in the container: an added capability is effective for uid 0 only (no ambient capabilities).
            runAsUser: 0,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'], add: ['SYSLOG'] },
          },
        },
      ],
    },
  };
}

/** What will be created, in one sentence for the confirmation. */
export function debugPodWords(node: string, opts: NodeDebugOptions): string {
  return (
    `One pod in namespace ${opts.namespace} on node ${node} (nodeName ${node}, tolerating every taint), image ${opts.image}, ` +
    `running \`dmesg\` as root with only the SYSLOG capability (not privileged, no host namespaces, no host paths), ` +
    `restartPolicy Never, activeDeadlineSeconds ${deadlineSecondsOf(opts.timeoutMs)}; it is deleted as soon as its log is read, or on failure or cancel.`
  );
}

interface WireDebugPod {
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    containerStatuses?: {
      state?: { waiting?: { reason?: string; message?: string }; terminated?: { exitCode?: number; reason?: string } };
    }[];
  };
}

const fail = (kind: ClusterError['kind'], message: string): Result<never> => ({ ok: false, error: { kind, message } });
const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/** Resolves after `ms`, or at once when `signal` fires. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Creates the pod, waits for it to finish, reads its log; deletes it whatever happened. */
export async function readNodeKernelLog(
  access: ClusterAccess,
  node: string,
  opts: NodeDebugOptions,
): Promise<Result<NodeKernelLog>> {
  const what = `reading the kernel log of node ${node}`;
  if (opts.signal?.aborted) return fail('error', `Stopped before ${what}; nothing was created.`);
  // The name is chosen here, not by generateName: a create whose answer is lost (cancel, timeout) can still be deleted.
  const name = `oomscope-kernel-log-${randomBytes(4).toString('hex')}`;
  const ns = encodeURIComponent(opts.namespace);
  const podPath = `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(name)}`;
  const deadline = Date.now() + opts.timeoutMs;
  const created = await requestJson<WireDebugPod>(access, {
    path: `/api/v1/namespaces/${ns}/pods`,
    method: 'POST',
    body: JSON.stringify(debugPodManifest(node, name, opts)),
    verb: 'create',
    resource: 'pods',
    what,
    forbidden: `Forbidden: ${what} needs \`create pods\` in namespace ${opts.namespace}; ask your cluster admin for that RBAC permission, or set oomscope.nodeDebug.namespace to a namespace where you have it (Pod Security "restricted" or "baseline" namespaces also refuse the SYSLOG capability).`,
    signal: opts.signal,
  });
  // An HTTP answer other than success means no pod; a lost answer may still have created one.
  const definite = (e: ClusterError): boolean =>
    e.kind === 'forbidden' || e.kind === 'unauthorized' || e.kind === 'not-found' || /\(HTTP \d+\)/.test(e.message);
  if (!created.ok && definite(created.error)) return created;
  let result: Result<Omit<NodeKernelLog, 'cleanup'>>;
  if (!created.ok) result = created;
  else result = await waitAndRead(access, node, name, podPath, deadline, opts);
  const cleanup = await deletePod(access, name, podPath, opts.namespace);
  if (!result.ok) {
    const e: ClusterError = opts.signal?.aborted ? { kind: 'error', message: `Stopped while ${what}.` } : result.error;
    // Still one sentence: the pod's fate goes in brackets (a failed delete says how to delete it by hand).
    const fate = cleanup ? cleanup.replace(/\.$/, '') : `pod ${name} deleted`;
    return fail(e.kind, `${e.message.replace(/\.$/, '')} (${fate}).`);
  }
  return { ok: true, value: { ...result.value, cleanup } };
}

async function waitAndRead(
  access: ClusterAccess,
  node: string,
  name: string,
  podPath: string,
  deadline: number,
  opts: NodeDebugOptions,
): Promise<Result<Omit<NodeKernelLog, 'cleanup'>>> {
  const what = `reading the kernel log of node ${node}`;
  const spec = { verb: 'get', resource: 'pods', what: `waiting for pod ${name}`, signal: opts.signal };
  for (let i = 0; i < 100_000; i++) {
    if (opts.signal?.aborted) return fail('error', `Stopped while ${what}.`);
    if (Date.now() >= deadline) {
      return fail(
        'timeout',
        `Pod ${name} did not finish within ${Math.round(opts.timeoutMs / 1000)} s while ${what}; check that node ${node} is Ready and can pull ${opts.image} (set oomscope.nodeDebug.image to a mirror if not).`,
      );
    }
    const p = await requestJson<WireDebugPod>(access, { ...spec, path: podPath });
    if (!p.ok) return p;
    const phase = p.value.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      const log = await requestText(access, {
        path: `${podPath}/log?container=kernel-log`,
        verb: 'get',
        resource: 'pods/log',
        what,
        forbidden: `Forbidden: ${what} needs \`get pods/log\` in namespace ${opts.namespace}; ask your cluster admin for that RBAC permission.`,
        accept: 'text/plain',
        maxBytes: 32 * 1024 * 1024,
        signal: opts.signal,
      });
      if (!log.ok) return log;
      if (phase === 'Failed' || !/^oomscope-clock /m.test(log.value)) {
        const why = p.value.status?.reason ?? p.value.status?.containerStatuses?.[0]?.state?.terminated?.reason;
        return fail(
          'error',
          `Pod ${name} ended ${phase === 'Failed' ? `in phase Failed${why ? ` (${why})` : ''}` : 'without the expected output'} while ${what}: ${log.value.trim().split('\n')[0]?.slice(0, 160) || 'no output'}; the image ${opts.image} needs sh, date, cat and dmesg (busybox has them).`,
        );
      }
      return { ok: true, value: { text: log.value, podName: name } };
    }
    const waiting = p.value.status?.containerStatuses?.[0]?.state?.waiting;
    if (waiting?.reason && PULL_FAILURES.has(waiting.reason)) {
      return fail(
        'error',
        `Node ${node} cannot pull the image ${opts.image} (${waiting.reason}); set oomscope.nodeDebug.image to an image the node can pull (a mirror on air-gapped clusters).`,
      );
    }
    await pause(Math.min(opts.pollMs ?? 500, Math.max(0, deadline - Date.now())), opts.signal);
  }
  return fail('timeout', `Pod ${name} did not finish while ${what}.`);
}

/** Deletes the pod (never with the caller's signal: a cancel must still delete); null when gone, else the sentence. */
async function deletePod(
  access: ClusterAccess,
  name: string,
  podPath: string,
  namespace: string,
): Promise<string | null> {
  const r = await requestText(access, {
    path: `${podPath}?gracePeriodSeconds=0`,
    method: 'DELETE',
    verb: 'delete',
    resource: 'pods',
    what: `deleting pod ${name}`,
    forbidden: `Could not delete pod ${name}: that needs \`delete pods\` in namespace ${namespace}; delete it by hand (kubectl delete pod -n ${namespace} ${name}).`,
  });
  if (r.ok || r.error.kind === 'not-found') return null;
  if (r.error.kind === 'forbidden') return r.error.message;
  return `Could not delete pod ${name} (${r.error.message.replace(/\.$/, '')}); delete it by hand (kubectl delete pod -n ${namespace} ${name}).`;
}
