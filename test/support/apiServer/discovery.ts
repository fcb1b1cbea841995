/** Minimal discovery documents so that kubectl can resolve `pods`, `nodes`, `events`. */
const res = (name: string, kind: string, namespaced: boolean, shortNames: string[] = []): object => ({
  name, singularName: kind.toLowerCase(), namespaced, kind, verbs: ['get', 'list'], shortNames,
});

export function discovery(path: string): object | null {
  switch (path) {
    case '/version':
      return { major: '1', minor: '34', gitVersion: 'v1.34.2', platform: 'linux/amd64' };
    case '/api':
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
    case '/apis':
      return {
        kind: 'APIGroupList', apiVersion: 'v1',
        groups: [{ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } }],
      };
    case '/api/v1':
      return {
        kind: 'APIResourceList', groupVersion: 'v1',
        resources: [
          res('pods', 'Pod', true, ['po']), res('nodes', 'Node', false, ['no']), res('events', 'Event', true, ['ev']),
          res('services', 'Service', true, ['svc']), { name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['get'] },
        ],
      };
    case '/apis/metrics.k8s.io/v1beta1':
      return { kind: 'APIResourceList', groupVersion: 'metrics.k8s.io/v1beta1', resources: [res('nodes', 'NodeMetrics', false), res('pods', 'PodMetrics', true)] };
    default:
      return null;
  }
}
