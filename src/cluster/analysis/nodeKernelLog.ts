/**
 * "Read Kernel Log from Node…": ask first (the confirmation names the node and exactly what will be created),
 * then run the debug pod (nodeDebugPod.ts) and read its log into kernel reports. Declined: no request at all.
 * The asking is a function so that the extension passes a modal and tests pass a plain answer.
 */
import type { ClusterAccess, Result } from '../access/accessTypes';
import { debugPodWords, readNodeKernelLog, type NodeDebugOptions } from '../access/nodeDebugPod';
import { kernelReportsFromLog, type KernelReport } from './kernelReports';

export interface KernelLogRead {
  reports: KernelReport[];
  podName: string;
  /** null when the pod was deleted; else how to delete it by hand. */
  cleanup: string | null;
}

/** The confirmation: its title and detail; resolves true to go ahead. */
export type ConfirmCreate = (title: string, detail: string) => Promise<boolean>;

export async function readKernelReportsWithConsent(
  access: ClusterAccess,
  node: string,
  opts: NodeDebugOptions,
  confirm: ConfirmCreate,
): Promise<'declined' | Result<KernelLogRead>> {
  const ok = await confirm(
    `Read the kernel log of node ${node}? This creates a pod on that node in context ${access.context}.`,
    debugPodWords(node, opts),
  );
  if (!ok) return 'declined';
  const r = await readNodeKernelLog(access, node, opts);
  if (!r.ok) return r;
  return {
    ok: true,
    value: { reports: kernelReportsFromLog(r.value.text), podName: r.value.podName, cleanup: r.value.cleanup },
  };
}
