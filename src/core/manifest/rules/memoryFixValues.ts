/**
 * The memory values quick fixes may write: a fix must not trade its finding for a new error.
 * A limit stays at or above its request and a request at or below its limit (else
 * memory-limit-below-request), and a limit leaves room for the container's heap settings as
 * heap-exceeds-limit judges them (`heapRoom`).
 */
import { memoryBytes, parseQuantity } from '../../quantity';
import type { ContainerModel, QuantityField, ResourcesModel } from '../model';
import { heapRoom } from './heapExceedsLimit';
import type { RuleContext } from './ruleContext';

const MI = 1024n * 1024n;
const GI = 1024n * MI;

/** Usable bytes of a request or limit: set, not templated, a whole number of bytes. */
function usable(f: QuantityField | null | undefined): bigint | null {
  return f && !f.templated && f.whole && f.bytes !== null ? f.bytes : null;
}

/** Bytes a quantity text means; null when it is not a usable memory value. */
export function textBytes(text: string): bigint | null {
  const p = parseQuantity(text);
  if (!p.ok) return null;
  const b = memoryBytes(p.quantity);
  return b.whole ? b.bytes : null;
}

/** The smallest limit that gives no heap error for the containers a limit of `owner` applies to (the pod level: those without their own limit). */
function heapNoError(ctx: RuleContext, owner: ContainerModel | null): bigint | null {
  const users = owner
    ? [owner]
    : ctx.object.podSpec.containers.filter((c) => usable(c.resources?.limits?.memory) === null);
  let floor: bigint | null = null;
  for (const c of users) {
    const room = heapRoom(ctx.text, c);
    if (room && (floor === null || room.noError > floor)) floor = room.noError;
  }
  return floor;
}

/** True when writing `bytes` as the `kind` of `owner` (null: pod-level spec.resources) creates no error: the pair stays ordered and the heap fits. */
export function valueKeepsRules(
  ctx: RuleContext,
  owner: ContainerModel | null,
  res: ResourcesModel | null,
  kind: 'request' | 'limit',
  bytes: bigint,
): boolean {
  if (kind === 'request') {
    const lim = usable(res?.limits?.memory);
    return lim === null || bytes <= lim;
  }
  const req = usable(res?.requests?.memory);
  if (req !== null && bytes < req) return false;
  const heap = heapNoError(ctx, owner);
  return heap === null || bytes >= heap;
}

/** Rounds a byte count up to a value people write: whole Mi below 1Gi, else 64Mi steps (written in Gi when whole). */
function roundUp(bytes: bigint): string {
  const step = bytes < GI ? MI : 64n * MI;
  const n = ((bytes + step - 1n) / step) * step;
  return n % GI === 0n ? `${n / GI}Gi` : `${n / MI}Mi`;
}

/**
 * The limit to add for container `c`: `base` (the request, or the default memory) when the
 * container's heap settings fit in it without a finding, else the smallest round value that
 * does, with the reason for the title ("room for JVM -Xmx2g").
 */
export function limitToAdd(ctx: RuleContext, c: ContainerModel, base: string): { text: string; reason: string | null } {
  const room = heapRoom(ctx.text, c);
  const bytes = textBytes(base);
  if (!room || (bytes !== null && bytes >= room.quiet)) return { text: base, reason: null };
  return { text: roundUp(room.quiet), reason: `room for ${room.what}` };
}
