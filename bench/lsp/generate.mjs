// Realistic multi-document manifests for the LSP benchmark: every workload kind (Pod, Deployment,
// ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, PodTemplate) plus
// Services and ConfigMaps, about 2.4 KB per document (labels, annotations, env, probes, mounts —
// the size of real manifests), and the memory mistakes of docs/rules/README.md spread over them.
const KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  'ReplicationController',
  'PodTemplate',
  'Service',
  'ConfigMap',
  'Deployment',
];
const MISTAKES = [
  { req: '128Mi', lim: '256Mi' },
  { req: '128Mi', lim: '128m' },
  { req: '256Mi', lim: null },
  { req: null, lim: null },
  { req: null, lim: '512Mi' },
  { req: '64Mi', lim: '1Gi' },
  { req: '512Mi', lim: '256Mi' },
  { req: '1Gb', lim: '2Gi' },
  { req: '512', lim: '512Mi' },
  { req: '1Gi', lim: '1Gi', xmx: '-Xmx2g' },
  { req: '256Mi', lim: '512Mi', emptyDir: true },
  { req: '256Mi', lim: '256Mi', qosClass: true },
  { req: '200Mi', lim: '400Mi', node: '--max-old-space-size=512' },
  { req: '300Mi', lim: '600Mi' },
];

/** `count` YAML documents joined with `---`. */
export function generateManifests(count) {
  const docs = [];
  for (let i = 0; i < count; i++)
    docs.push(documentFor(KINDS[i % KINDS.length], `svc-${i}`, MISTAKES[i % MISTAKES.length], i));
  return docs.join('---\n');
}

function documentFor(kind, name, m, i) {
  const ns = `team-${i % 7}`;
  const labels = (p) =>
    `${p}app.kubernetes.io/name: ${name}\n${p}app.kubernetes.io/part-of: shop\n${p}app.kubernetes.io/managed-by: kustomize\n${p}tier: backend\n`;
  const meta = `metadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n${labels('    ')}  annotations:\n    owner: team-${i % 7}@example.com\n    description: "Service ${i} of the shop backend; pages the on-call team when it restarts"\n`;
  if (kind === 'Service') {
    return `apiVersion: v1\nkind: Service\n${meta}spec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n    - name: metrics\n      port: 9090\n      targetPort: 9090\n`;
  }
  if (kind === 'ConfigMap') {
    return `apiVersion: v1\nkind: ConfigMap\n${meta}data:\n  memory: 128m\n  app.properties: |\n    cache.size=1000\n    log.level=info\n    pool.max=32\n    feature.flags=checkout,search,recommendations\n`;
  }
  const apiVersion =
    { Pod: 'v1', ReplicationController: 'v1', PodTemplate: 'v1', Job: 'batch/v1', CronJob: 'batch/v1' }[kind] ??
    'apps/v1';
  const podSpec = (ind) => {
    const p = ' '.repeat(ind);
    let s = '';
    if (m.qosClass) s += `${p}qosClass: Guaranteed\n`;
    s += `${p}serviceAccountName: ${name}\n${p}terminationGracePeriodSeconds: 30\n`;
    if (kind === 'Job' || kind === 'CronJob') s += `${p}restartPolicy: OnFailure\n`;
    s += `${p}securityContext:\n${p}  runAsNonRoot: true\n${p}  runAsUser: 10001\n${p}  fsGroup: 10001\n`;
    s += `${p}containers:\n${p}  - name: main\n${p}    image: ghcr.io/example/${name}:1.${i % 10}.${i % 7}\n${p}    imagePullPolicy: IfNotPresent\n`;
    if (m.xmx) s += `${p}    command: ["java"]\n${p}    args: ["${m.xmx}", "-XX:+UseG1GC", "-jar", "/app/app.jar"]\n`;
    s += `${p}    env:\n${p}      - name: LOG_LEVEL\n${p}        value: info\n${p}      - name: POD_NAME\n${p}        valueFrom:\n${p}          fieldRef:\n${p}            fieldPath: metadata.name\n`;
    if (m.node) s += `${p}      - name: NODE_OPTIONS\n${p}        value: "${m.node}"\n`;
    s += `${p}    ports:\n${p}      - name: http\n${p}        containerPort: 8080\n${p}      - name: metrics\n${p}        containerPort: 9090\n`;
    s += `${p}    readinessProbe:\n${p}      httpGet:\n${p}        path: /healthz/ready\n${p}        port: http\n${p}      periodSeconds: 10\n`;
    s += `${p}    livenessProbe:\n${p}      httpGet:\n${p}        path: /healthz/live\n${p}        port: http\n${p}      initialDelaySeconds: 15\n${p}      periodSeconds: 20\n`;
    if (m.req || m.lim) {
      s += `${p}    resources:\n`;
      if (m.req) s += `${p}      requests:\n${p}        cpu: 100m\n${p}        memory: ${m.req}\n`;
      if (m.lim) s += `${p}      limits:\n${p}        cpu: 500m\n${p}        memory: ${m.lim}\n`;
    }
    s += `${p}    volumeMounts:\n${p}      - name: config\n${p}        mountPath: /etc/app\n${p}        readOnly: true\n`;
    if (m.emptyDir) s += `${p}      - name: scratch\n${p}        mountPath: /scratch\n`;
    s += `${p}  - name: log-shipper\n${p}    image: fluent/fluent-bit:3.1.${i % 9}\n${p}    resources:\n${p}      requests:\n${p}        cpu: 20m\n${p}        memory: 32Mi\n${p}      limits:\n${p}        memory: 64Mi\n`;
    s += `${p}nodeSelector:\n${p}  kubernetes.io/os: linux\n${p}tolerations:\n${p}  - key: dedicated\n${p}    operator: Equal\n${p}    value: backend\n${p}    effect: NoSchedule\n`;
    s += `${p}topologySpreadConstraints:\n${p}  - maxSkew: 1\n${p}    topologyKey: topology.kubernetes.io/zone\n${p}    whenUnsatisfiable: ScheduleAnyway\n${p}    labelSelector:\n${p}      matchLabels:\n${p}        app.kubernetes.io/name: ${name}\n`;
    s += `${p}volumes:\n${p}  - name: config\n${p}    configMap:\n${p}      name: ${name}\n`;
    if (m.emptyDir) s += `${p}  - name: scratch\n${p}    emptyDir:\n${p}      medium: Memory\n`;
    return s;
  };
  const head = `apiVersion: ${apiVersion}\nkind: ${kind}\n${meta}`;
  if (kind === 'Pod') return `${head}spec:\n${podSpec(2)}`;
  const template = (ind) => {
    const p = ' '.repeat(ind);
    return `${p}template:\n${p}  metadata:\n${p}    labels:\n${labels(`${p}      `)}${p}  spec:\n${podSpec(ind + 4)}`;
  };
  if (kind === 'PodTemplate') return `${head}${template(0)}`;
  if (kind === 'CronJob')
    return `${head}spec:\n  schedule: "*/15 * * * *"\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n${template(6)}`;
  if (kind === 'Job') return `${head}spec:\n  backoffLimit: 3\n${template(2)}`;
  const selector =
    kind === 'ReplicationController'
      ? `  selector:\n    app.kubernetes.io/name: ${name}\n`
      : `  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${name}\n`;
  const extra = kind === 'StatefulSet' ? `  serviceName: ${name}\n` : '';
  const replicas = kind === 'DaemonSet' ? '' : `  replicas: ${1 + (i % 5)}\n`;
  return `${head}spec:\n${replicas}${extra}${selector}${template(2)}`;
}
