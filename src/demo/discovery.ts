/** Minimal discovery documents so that kubectl can resolve `pods`, `nodes`, `events`. */
const res = (name: string, kind: string, namespaced: boolean, shortNames: string[] = []): object => ({
  name,
  singularName: kind.toLowerCase(),
  namespaced,
  kind,
  verbs: ['get', 'list'],
  shortNames,
});

export function discovery(path: string): object | null {
  switch (path) {
    case '/version':
      return { major: '1', minor: '34', gitVersion: 'v1.34.2', platform: 'linux/amd64' };
    case '/api':
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
      };
    case '/apis':
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [
          {
            name: 'metrics.k8s.io',
            versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }],
            preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' },
          },
        ],
      };
    case '/api/v1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          res('pods', 'Pod', true, ['po']),
          res('nodes', 'Node', false, ['no']),
          res('events', 'Event', true, ['ev']),
          res('services', 'Service', true, ['svc']),
          { name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['get'] },
        ],
      };
    case '/apis/metrics.k8s.io/v1beta1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'metrics.k8s.io/v1beta1',
        resources: [res('nodes', 'NodeMetrics', false), res('pods', 'PodMetrics', true)],
      };
    default:
      return null;
  }
}

const age = (from: string | undefined, now: number): string => {
  const s = Math.max(0, Math.round((now - Date.parse(from ?? '')) / 1000));
  if (!Number.isFinite(s)) return '<unknown>';
  return s < 120
    ? `${s}s`
    : s < 7200
      ? `${Math.round(s / 60)}m`
      : s < 172800
        ? `${Math.round(s / 3600)}h`
        : `${Math.round(s / 86400)}d`;
};

interface Obj {
  metadata: { name: string; namespace?: string; creationTimestamp?: string; uid?: string };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: { type: string; status: string }[];
    nodeInfo?: { kubeletVersion?: string };
    containerStatuses?: {
      ready?: boolean;
      restartCount?: number;
      state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
    }[];
  };
}

/** The server-side printing kubectl asks for (Accept: …;as=Table;g=meta.k8s.io). */
export function asTable(kind: 'Pod' | 'Node', items: object[], now: number): object {
  const col = (name: string, type = 'string'): object => ({
    name,
    type,
    format: name === 'Name' ? 'name' : '',
    description: '',
    priority: 0,
  });
  const rows = (items as Obj[]).map((o) => {
    const meta = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
    if (kind === 'Node') {
      const ready = o.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return {
        cells: [
          o.metadata.name,
          ready ? 'Ready' : 'NotReady',
          '<none>',
          age(o.metadata.creationTimestamp, now),
          o.status?.nodeInfo?.kubeletVersion ?? '',
        ],
        object: meta,
      };
    }
    const cs = o.status?.containerStatuses ?? [];
    const waiting = cs.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find((r) => r);
    return {
      cells: [
        o.metadata.name,
        `${cs.filter((c) => c.ready).length}/${cs.length}`,
        o.status?.reason ?? waiting ?? o.status?.phase ?? 'Unknown',
        String(cs.reduce((n, c) => n + (c.restartCount ?? 0), 0)),
        age(o.metadata.creationTimestamp, now),
      ],
      object: meta,
    };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    columnDefinitions:
      kind === 'Node'
        ? [col('Name'), col('Status'), col('Roles'), col('Age'), col('Version')]
        : [col('Name'), col('Ready'), col('Status'), col('Restarts'), col('Age')],
    rows,
  };
}
