/** One line per missing source: what it would add, and how to enable it. */
import type { NodeAnalysis } from './nodeAnalysisTypes';

const ok = (s: string | undefined): boolean => s === 'ok';

function minor(version: string | null | undefined): number | null {
  const m = /^v?1\.(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) : null;
}

export function notesFor(a: NodeAnalysis, psi: { summaryHasPsi: boolean; cadvisorHasPsi: boolean }): string[] {
  const notes: string[] = [];
  const s = a.sources;
  if (!ok(s.summary) && !ok(s.cadvisor)) {
    if (s.summary.startsWith('forbidden')) {
      notes.push(
        'PSI (memory stall over time, thrashing phases, "thrashing before the kill"): grant `get` on `nodes/proxy` to your user (a ClusterRole rule with resources [nodes/proxy], verbs [get]).',
      );
    } else {
      notes.push(
        `PSI and per-pod memory: the kubelet could not be read through the API server (${s.summary.replace(/^\w+: /, '')})`,
      );
    }
  } else if (!psi.summaryHasPsi && !psi.cadvisorHasPsi) {
    const m = minor(a.node?.kubeletVersion);
    const gate =
      m !== null && m < 33
        ? `this kubelet is ${a.node?.kubeletVersion}: PSI needs Kubernetes 1.33+ with the KubeletPSI feature gate (on by default from 1.34)`
        : m === 33
          ? 'enable the KubeletPSI feature gate on the kubelet (alpha in 1.33, off by default)'
          : 'the kubelet reports no psi: check that the KubeletPSI feature gate is on and the node runs cgroup v2 with PSI enabled (kernel 4.20+, psi=1)';
    notes.push(
      `PSI (thrashing phases, "thrashing before the kill"): ${gate}. Kills are still classified from pod status and events.`,
    );
  }
  if (!ok(s.events)) {
    notes.push(
      s.events.startsWith('forbidden')
        ? 'Node OOM events (SystemOOM, OOMKilling) and evictions: grant `list` on `events`.'
        : `Node OOM events and evictions: ${s.events.replace(/^\w+: /, '')}`,
    );
  }
  if (!ok(s.pods)) {
    notes.push(
      s.pods.startsWith('forbidden')
        ? 'Container OOM kills (pod status OOMKilled), QoS classes and restarts: grant `list` on `pods`.'
        : `Container OOM kills, QoS classes and restarts: ${s.pods.replace(/^\w+: /, '')}`,
    );
  }
  if (!ok(s.prometheus)) {
    notes.push(
      'History from before OOMScope started watching: set oomscope.prometheus.url, or run Prometheus with node-exporter (Service labelled app.kubernetes.io/name=prometheus).',
    );
  }
  if (!ok(s.metrics))
    notes.push(
      'Current usage from metrics.k8s.io: install metrics-server (optional; the Summary API gives the same when readable).',
    );
  if (a.ooms.some((k) => !k.precededJudged && k.t !== null)) {
    notes.push(
      'Some kills fall outside the PSI samples: whether thrashing came first cannot be told for them (keep the panel live to record PSI).',
    );
  }
  return notes;
}
