/**
 * Kubernetes `resource.Quantity`, following k8s.io/apimachinery pkg/api/resource
 * (ParseQuantity, parseQuantityString, suffixer.interpret, CanonicalizeBytes) exactly,
 * with exact BigInt arithmetic instead of int64/inf.Dec.
 */

/** How the quantity was written; decides the canonical form (as apimachinery `Format`). */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A parsed quantity: value = (negative ? -1 : 1) × mantissa × 10^exponent, already rounded up to 1n like the API server. */
export interface Quantity {
  negative: boolean;
  /** Magnitude digits, without trailing zeros (0n for zero). */
  mantissa: bigint;
  exponent: number;
  format: QuantityFormat;
}

export type QuantityParse = { ok: true; quantity: Quantity } | { ok: false; error: string };

const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = 'eEinumkKMGTP';
const MAX_ALLOWED = (1n << 63n) - 1n;
const INT64_MAX = MAX_ALLOWED;
const INT64_MIN = -(1n << 63n);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function digitCount(n: bigint): number {
  return n === 0n ? 1 : n.toString().length;
}

function normalize(negative: boolean, mantissa: bigint, exponent: number, format: QuantityFormat): Quantity {
  if (mantissa === 0n) return { negative: false, mantissa: 0n, exponent: 0, format };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  return { negative, mantissa, exponent, format };
}

interface QuantityParts {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

/** apimachinery parseQuantityString. */
function splitQuantity(str: string): QuantityParts | null {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end && (str[0] === '-' || str[0] === '+')) {
    positive = str[0] !== '-';
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (pos < end && isDigit(str[pos]!)) pos++;
  let num = str.slice(numStart, pos);
  if (pos >= end) return { positive, num: num || '0', denom: '', suffix: '' };
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < end && isDigit(str[pos]!)) pos++;
    denom = str.slice(denomStart, pos);
    if (pos >= end) return { positive, num, denom, suffix: '' };
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (pos >= end) return { positive, num, denom, suffix: str.slice(suffixStart) };
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < end && isDigit(str[pos]!)) pos++;
  if (pos >= end) return { positive, num, denom, suffix: str.slice(suffixStart) };
  return null;
}

/** apimachinery suffixer.interpret. */
function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | null {
  const dec = DEC_SUFFIX[suffix];
  if (dec !== undefined && Object.prototype.hasOwnProperty.call(DEC_SUFFIX, suffix))
    return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BIN_SUFFIX[suffix];
  if (bin !== undefined && Object.prototype.hasOwnProperty.call(BIN_SUFFIX, suffix))
    return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return null;
    const parsed = BigInt(rest);
    if (parsed > INT64_MAX || parsed < INT64_MIN) return null;
    // Go converts the int64 exponent with int32(parsed): wrap around the same way.
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return null;
}

/** Parses a quantity string exactly as the API server does; never throws. */
export function parseQuantity(str: string): QuantityParse {
  if (str.length === 0)
    return {
      ok: false,
      error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    };
  if (str === '0') return { ok: true, quantity: { negative: false, mantissa: 0n, exponent: 0, format: 'DecimalSI' } };
  const parts = splitQuantity(str);
  if (!parts)
    return {
      ok: false,
      error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    };
  const suffix = interpretSuffix(parts.suffix);
  if (!suffix) return { ok: false, error: "unable to parse quantity's suffix" };
  let mantissa = BigInt(parts.num + parts.denom);
  let exponent = -parts.denom.length;
  let format = suffix.format;
  if (suffix.base === 10) exponent += suffix.exponent;
  else mantissa *= 1n << BigInt(suffix.exponent);

  // Round non-zero magnitudes up to the nearest 1n (inf.RoundUp at scale 9).
  if (mantissa !== 0n && exponent < -9) {
    const shift = -9 - exponent;
    if (shift > digitCount(mantissa) + 1) {
      mantissa = 1n;
    } else {
      const div = pow10(shift);
      mantissa = (mantissa + div - 1n) / div;
    }
    exponent = -9;
  }
  let q = normalize(!parts.positive, mantissa, exponent, format);
  if (format === 'BinarySI' && q.mantissa !== 0n) {
    if (compareMagnitude(q, MAX_ALLOWED) > 0) q = normalize(q.negative, MAX_ALLOWED, 0, format);
    if (q.exponent < 0 && compareMagnitude(q, 1n) < 0) format = 'DecimalSI';
    q = { ...q, format };
  }
  return { ok: true, quantity: q };
}

/** Compares |q| with a non-negative integer. */
function compareMagnitude(q: Quantity, n: bigint): number {
  if (q.exponent >= 0) {
    if (digitCount(q.mantissa) + q.exponent > digitCount(n) + 1) return 1;
    const v = q.mantissa * pow10(q.exponent);
    return v > n ? 1 : v < n ? -1 : 0;
  }
  const scaled = n * pow10(-q.exponent);
  return q.mantissa > scaled ? 1 : q.mantissa < scaled ? -1 : 0;
}

/** The exact value as a plain decimal string, e.g. "0.000000005", "-1000". */
export function quantityDecimalString(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  const sign = q.negative ? '-' : '';
  const digits = q.mantissa.toString();
  if (q.exponent >= 0) {
    if (q.exponent > 4096) return `${sign}${digits}e${q.exponent}`;
    return sign + digits + '0'.repeat(q.exponent);
  }
  const frac = -q.exponent;
  const padded = digits.padStart(frac + 1, '0');
  return `${sign}${padded.slice(0, padded.length - frac)}.${padded.slice(padded.length - frac)}`;
}

/** Byte value as the API server reads it (fractional values rounded up), whether it was whole; bytes is null beyond 10^60. */
export function quantityBytes(q: Quantity): { bytes: bigint | null; whole: boolean } {
  const sign = q.negative ? -1n : 1n;
  if (q.exponent >= 0) {
    if (digitCount(q.mantissa) + q.exponent > 60) return { bytes: null, whole: true };
    return { bytes: sign * q.mantissa * pow10(q.exponent), whole: true };
  }
  const div = pow10(-q.exponent);
  const whole = q.mantissa % div === 0n;
  return { bytes: sign * ((q.mantissa + div - 1n) / div), whole };
}

/** The largest byte count Kubernetes components can hold: Quantity.Value() is an int64 and silently overflows above it. */
export const MAX_MEMORY_BYTES = INT64_MAX;

/**
 * A memory request's or limit's bytes as Kubernetes uses them, or why there are none. The API
 * server's validation rejects a negative value (it must be ≥ 0); a value above 2^63−1 bytes
 * parses (a decimal quantity is not capped, only binary-SI ones are, at 2^63−1), but the
 * scheduler and the kubelet read it with Quantity.Value(), whose overflowed result apimachinery
 * calls undefined.
 */
export function memoryBytes(q: Quantity): {
  bytes: bigint | null;
  whole: boolean;
  outOfRange: 'negative' | 'overflow' | null;
} {
  if (q.negative && q.mantissa !== 0n) return { bytes: null, whole: false, outOfRange: 'negative' };
  const b = quantityBytes(q);
  // Rounded up: a value whose ceiling exceeds 2^63−1 exceeds it too.
  if (b.bytes === null || b.bytes > MAX_MEMORY_BYTES) return { bytes: null, whole: b.whole, outOfRange: 'overflow' };
  return { bytes: b.bytes, whole: b.whole, outOfRange: null };
}

const DEC_SUFFIX_BY_EXP = new Map(Object.entries(DEC_SUFFIX).map(([k, v]) => [v, k]));
const BIN_SUFFIX_BY_EXP = new Map(Object.entries(BIN_SUFFIX).map(([k, v]) => [v / 10, k]));

/** The canonical string (apimachinery Quantity.String()). */
export function canonicalQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  const sign = q.negative ? '-' : '';
  let format = q.format;
  if (format === 'BinarySI') {
    if (compareMagnitude(q, 1024n) < 0 || q.exponent < 0) format = 'DecimalSI';
    else if (q.exponent <= 60) {
      let n = q.mantissa * pow10(q.exponent);
      let times = 0;
      while (n % 1024n === 0n && times < 6) {
        n /= 1024n;
        times++;
      }
      return sign + n.toString() + (BIN_SUFFIX_BY_EXP.get(times) ?? '');
    }
  }
  let mantissa = q.mantissa;
  let exponent = q.exponent;
  const r = ((exponent % 3) + 3) % 3;
  mantissa *= pow10(r);
  exponent -= r;
  if (format === 'DecimalExponent') return sign + mantissa.toString() + (exponent === 0 ? '' : `e${exponent}`);
  if (exponent > 18) {
    if (exponent > 4096) return `${sign}${mantissa}e${exponent}`;
    mantissa *= pow10(exponent - 18);
    exponent = 18;
  }
  return sign + mantissa.toString() + (DEC_SUFFIX_BY_EXP.get(exponent) ?? '');
}

const BINARY_UNITS: Array<[string, bigint]> = [
  ['Ei', 1n << 60n],
  ['Pi', 1n << 50n],
  ['Ti', 1n << 40n],
  ['Gi', 1n << 30n],
  ['Mi', 1n << 20n],
  ['Ki', 1n << 10n],
];

/** Exact binary-unit form when there is one ("128Mi"), else a short decimal in the nearest unit ("1.5Gi", "~1.17Gi"). */
function nearestBinary(bytes: bigint): { text: string; exact: boolean } {
  const abs = bytes < 0n ? -bytes : bytes;
  const sign = bytes < 0n ? '-' : '';
  for (const [unit, size] of BINARY_UNITS) {
    if (abs >= size) {
      if (abs % size === 0n) return { text: `${sign}${abs / size}${unit}`, exact: true };
      const hundredths = (abs * 100n + size / 2n) / size;
      const whole = hundredths / 100n;
      const frac = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
      const exact = hundredths * size === abs * 100n;
      return { text: `${exact ? '' : '~'}${sign}${whole}${frac ? '.' + frac : ''}${unit}`, exact };
    }
  }
  return { text: `${bytes} bytes`, exact: true };
}

/** Human form of a byte count for messages: "128Mi", "1.5Gi", "536870913 bytes (~512Mi)", "512 bytes". */
export function formatBytes(bytes: bigint): string {
  const abs = bytes < 0n ? -bytes : bytes;
  if (abs < 1024n) return abs === 1n ? `${bytes} byte` : `${bytes} bytes`;
  const near = nearestBinary(bytes);
  if (near.exact && !near.text.includes('.')) return near.text;
  if (near.exact) return near.text;
  return `${bytes} bytes (${near.text})`;
}

/** Bytes with thousands separators, e.g. "134,217,728". */
export function groupDigits(n: bigint): string {
  const s = (n < 0n ? -n : n).toString();
  return (n < 0n ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Exact value in units of 10^-9 (every parsed quantity is a whole number of them); null beyond 10^60. */
export function quantityNanos(q: Quantity): bigint | null {
  const e = q.exponent + 9;
  if (e < 0) return null;
  if (digitCount(q.mantissa) + e > 70) return null;
  return (q.negative ? -1n : 1n) * q.mantissa * pow10(e);
}

/**
 * Bytes → a Kubernetes-style quantity rounded to a tenth, for the CLI's and the panel's kill and node
 * lines: 314572800 → "300Mi", 1572864 → "1.5Mi", 512 → "512". (Manifest messages, which must be
 * exact, use formatBytes above.)
 */
export function formatQuantity(bytes: number): string {
  const units: Array<[string, number]> = [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ];
  for (const [u, f] of units) if (bytes >= f) return `${Math.round((bytes / f) * 10) / 10}${u}`;
  return `${Math.round(bytes)}`;
}
