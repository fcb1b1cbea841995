// What emptydir-memory-unbounded says depends on what holds the tmpfs pages (issue 16 §7): a container limit
// (filling it OOM-kills that container), a pod-level limit (a container of the pod), or nothing (the pod grows until
// the node runs short). Hand-written pods in the shape of the kube-prometheus Grafana Deployment's tmp volume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/core/manifest/analyze';

function pod(containerResources: string, podResources = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: grafana
spec:
${podResources}  containers:
    - name: grafana
      image: grafana/grafana:12.0.0
${containerResources}      volumeMounts:
        - {name: tmp, mountPath: /tmp}
  volumes:
    - name: tmp
      emptyDir: {medium: Memory}
`;
}

const message = (text: string): string => {
  const f = analyzeText(text).findings.filter((x) => x.ruleId === 'emptydir-memory-unbounded');
  assert.equal(f.length, 1);
  return f[0]!.message;
};

void test('under the container limit: filling the volume OOM-kills the container', () => {
  const m = message(pod('      resources:\n        requests: {memory: 100Mi}\n        limits: {memory: 200Mi}\n'));
  assert.match(
    m,
    /charged to the memory limit of container "grafana" \(200Mi\), so filling it OOM-kills the container/,
  );
});

void test('no memory limit anywhere: the pod grows until node pressure, not an OOM kill of the container', () => {
  const m = message(pod('      resources:\n        requests: {memory: 100Mi}\n'));
  assert.doesNotMatch(m, /OOM-kills the container/);
  assert.match(m, /container "grafana" has no memory limit to hold it/);
  assert.match(m, /grows the pod's memory until the node runs short/);
  assert.match(m, /evicts pods or the kernel OOM-kills under node pressure/);
});

void test('a pod-level limit holds the pages: a container of the pod is OOM-killed', () => {
  const m = message(pod('', '  resources:\n    limits: {memory: 1Gi}\n'));
  assert.match(m, /charged to the pod-level memory limit \(written by container "grafana"\) \(1Gi\)/);
  assert.match(m, /OOM-kills a container of the pod/);
});
