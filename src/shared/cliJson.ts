/**
 * The public `--format json` documents of the CLI (docs/cli.md), one type per command, and a
 * JSON Schema for each that the cli tier validates real output against (test/cli/cliJson.test.ts).
 * Three checks keep types, schemas and output together: each object schema lists its type's keys
 * (`closed<T>` takes exactly `keyof T`, so a field added to a type and not to its schema fails the
 * type check); the builders return these types (a field they add or drop fails the type check); and
 * every schema is closed (`additionalProperties: false`, every field required), so the cli tier
 * fails on any field or value the real commands print that the contract does not describe.
 * ajv is a devDependency: only its types are imported here. `version: 1` changes only with an
 * incompatible change.
 */
import type { JSONSchemaType } from 'ajv';
import type { QosClass } from '../core/qosClass';
import type { Severity } from '../core/manifest/findingTypes';
import type { OomClass, PrecededBy } from '../core/oom/verdictTypes';

/** A byte count: a JSON number when exact (|n| < 2^53), else a decimal string; null when absent. */
export type JsonBytes = number | string | null;

/** An ISO-8601 UTC time, or null when unknown. */
export type JsonTime = string | null;

// ---------------------------------------------------------------- oomscope lint --format json

export interface LintJsonPosition {
  line: number;
  character: number;
}

export interface LintJsonObjectRef {
  kind: string;
  name: string | null;
  namespace: string | null;
  document: number;
}

export interface LintJsonFinding {
  file: string;
  ruleId: string;
  severity: Severity;
  message: string;
  range: { start: LintJsonPosition; end: LintJsonPosition };
  object: LintJsonObjectRef | null;
  container: string | null;
}

export interface LintJsonContainer {
  name: string | null;
  init: boolean;
  sidecar: boolean;
  requests: { memory: JsonBytes };
  limits: { memory: JsonBytes };
  oomScoreAdj: number | null;
}

export interface LintJsonObject {
  file: string;
  document: number;
  kind: string;
  name: string | null;
  namespace: string | null;
  qosClass: QosClass | null;
  containers: LintJsonContainer[];
}

export interface LintJson {
  version: 1;
  findings: LintJsonFinding[];
  objects: LintJsonObject[];
}

// ---------------------------------------------------------------- oomscope analyze-log --format json

export interface JsonPhase {
  scope: string;
  /** Tiers, docs/verdict.md "Phases". */
  phase: 'pressure' | 'thrashing' | 'severe';
  start: JsonTime;
  end: JsonTime;
  peakSomePercent: number;
  peakFullPercent: number;
  /** The signals that made the phase: "full 14% for 22s; refaults 3,100 pages/s at the limit". */
  signals: string;
}

export interface KernelInvokerJson {
  comm: string;
  pid: number | null;
  gfpMask: string | null;
  order: number | null;
  oomScoreAdj: number | null;
}

/** A kill of a whole cgroup: memory.oom.group, or systemd-oomd killing a unit (docs/cli.md). */
export interface GroupKillJson {
  cgroup: string;
  /** The victim the killer chose; null when the report does not show it. */
  selectedPid: number | null;
  /** Processes the report shows killed; null when it cannot tell. */
  size: number | null;
}

/** A line that looks like OOM-killer output, when no kill could be read. */
export interface UnreadLineJson {
  line: number;
  text: string;
}

export interface AnalyzeLogJsonOom {
  time: JsonTime;
  monotonicSeconds: number | null;
  /** null only for a userspace killer that names a cgroup, not a process. */
  pid: number | null;
  comm: string | null;
  /** 'kernel', or the userspace killer ('systemd-oomd', 'earlyoom'). */
  killer: 'kernel' | 'systemd-oomd' | 'earlyoom';
  /** The userspace killer's own reason; null for the kernel. */
  killerReason: string | null;
  /** Set on every member of a group kill (each killed process is one entry). */
  groupKill: GroupKillJson | null;
  /** The cgroup path is cut short and no other line of the report gave it whole. */
  cgroupCut: boolean;
  constraint: string | null;
  oomMemcg: string | null;
  taskMemcg: string | null;
  class: OomClass;
  oomScoreAdj: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  pod: { uid: string } | null;
  containerId: string | null;
  /** null: sudden, or not judged (then notJudged says why). */
  precededBy: PrecededBy;
  uid: number | null;
  totalVmKb: number | null;
  memcgLimitKb: number | null;
  globalOom: boolean;
  invoker: KernelInvokerJson | null;
  evidence: string[];
  psiScope: string | null;
  precededForSeconds: number | null;
  notJudged: 'no-psi' | 'no-time' | 'no-scope' | 'no-coverage' | null;
  truncated: boolean;
  /** 1-based first and last line of the report in the input. */
  lines: [number, number];
}

export interface AnalyzeLogJsonPhase extends JsonPhase {
  /** null while the phase is still open at the last sample. */
  durationSeconds: number | null;
}

export interface AnalyzeLogJsonIncomplete {
  time: JsonTime;
  monotonicSeconds: number | null;
  lines: [number, number];
  invoker: KernelInvokerJson | null;
  note: string;
}

export interface AnalyzeLogJsonLocal {
  kernelLogSource: string;
  samples: number;
  cgroup: {
    dir: string;
    scope: string;
    currentBytes: number | null;
    maxBytes: number | null;
    events: Record<string, number>;
  } | null;
}

export interface AnalyzeLogJson {
  version: 1;
  ooms: AnalyzeLogJsonOom[];
  phases: AnalyzeLogJsonPhase[];
  incompleteReports: AnalyzeLogJsonIncomplete[];
  /** Lines that look like OOM-killer output when no kill could be read from them (exit 2); else empty. */
  unreadLines: UnreadLineJson[];
  /** How many such lines there are (unreadLines keeps the first 20). */
  unreadLineCount: number;
  /** Only with --local. */
  local?: AnalyzeLogJsonLocal;
}

// ---------------------------------------------------------------- oomscope analyze-node --format json

/** 'ok', or 'forbidden: …', 'unavailable: …', 'error: …' with one actionable sentence. */
export type JsonSourceState = string;

export interface JsonAverages {
  avg10: number;
  avg60: number;
  avg300: number;
}

export interface JsonPressure {
  some: JsonAverages;
  full: JsonAverages | null;
}

export interface AnalyzeNodeJsonPodPressure extends JsonPressure {
  namespace: string;
  name: string;
}

export interface AnalyzeNodeJsonOom {
  namespace: string | null;
  pod: string | null;
  container: string | null;
  /** The kind of the container killed; null when no pod status names it. */
  containerType: 'container' | 'init' | 'sidecar' | 'ephemeral' | null;
  /** The memory limit in force at the kill (status resources, else the pod-level limit, else the spec). */
  limitBytes: number | null;
  time: JsonTime;
  class: OomClass;
  qosClass: QosClass | null;
  precededBy: PrecededBy;
  evidence: string[];
  /** The processes the node's OOM events name, each once, the selected victim first (a group kill: several). */
  processes: AnalyzeNodeJsonProcess[];
}

/** A killed process as a node event names it. */
export interface AnalyzeNodeJsonProcess {
  pid: number | null;
  comm: string | null;
}

export interface AnalyzeNodeJsonEviction {
  namespace: string | null;
  pod: string | null;
  time: JsonTime;
  message: string | null;
}

export interface JsonNodeCondition {
  status: string;
  since: JsonTime;
}

/** The node's kubelet configuration from configz; every field null when unknown. */
export interface AnalyzeNodeJsonKubelet {
  source: 'configz' | null;
  kubeReservedMemoryBytes: number | null;
  systemReservedMemoryBytes: number | null;
  evictionHardMemoryAvailable: string | null;
  kubepodsLimitBytes: number | null;
  singleProcessOOMKill: boolean | null;
  swapBehavior: string | null;
  memoryQoS: boolean | null;
}

/** The node's memory budget in bytes (capacity → reservations, eviction threshold → allocatable); null when unknown. */
export interface AnalyzeNodeJsonBudget {
  capacityBytes: number | null;
  systemReservedBytes: number | null;
  kubeReservedBytes: number | null;
  evictionHardBytes: number | null;
  allocatableBytes: number | null;
  kubepodsLimitBytes: number | null;
  workingSetBytes: number | null;
}

export interface AnalyzeNodeJson {
  version: 1;
  context: string;
  node: {
    name: string;
    capacityBytes: number | null;
    allocatableBytes: number | null;
    memoryPressure: JsonNodeCondition | null;
    /** PSI node conditions (KEP-5394, alpha 1.36); null when the kubelet does not report them. */
    systemMemoryContentionPressure: JsonNodeCondition | null;
    kubepodsMemoryContentionPressure: JsonNodeCondition | null;
    kubelet: AnalyzeNodeJsonKubelet;
    budget: AnalyzeNodeJsonBudget;
  } | null;
  /** Each source's state; `node` is listed only when it failed. */
  sources: {
    node?: JsonSourceState;
    pods: JsonSourceState;
    events: JsonSourceState;
    summary: JsonSourceState;
    cadvisor: JsonSourceState;
    metrics: JsonSourceState;
    prometheus: JsonSourceState;
    configz: JsonSourceState;
  };
  /** `scope`: where the pressure sits, in words (self-inflicted, node-allocatable, system daemons). */
  pressure: { node: JsonPressure | null; pods: AnalyzeNodeJsonPodPressure[]; scope: string[] };
  phases: JsonPhase[];
  ooms: AnalyzeNodeJsonOom[];
  evictions: AnalyzeNodeJsonEviction[];
  /** The node's swap: memorySwap.swapBehavior (configz), capacity and use; null fields unknown. */
  swap: AnalyzeNodeJsonSwap;
  /** Each running container's swap limit (LimitedSwap), swap in use and memory.high (MemoryQoS). */
  containers: AnalyzeNodeJsonContainer[];
}

export interface AnalyzeNodeJsonSwap {
  behavior: string | null;
  capacityBytes: number | null;
  usageBytes: number | null;
}

export interface AnalyzeNodeJsonContainer {
  namespace: string;
  pod: string;
  container: string;
  qosClass: QosClass | null;
  /** memory.swap.max: 0 = no swap, null = unknown. */
  swapLimitBytes: number | null;
  noSwapReason: string | null;
  swapUsageBytes: number | null;
  /** null when MemoryQoS is off or the kubelet sets none for this container. */
  memoryHighBytes: number | null;
}

/** `analyze-workload --format json` ooms[] / evictions[]: the analyze-node kill, plus where and what around it. */
export interface AnalyzeWorkloadJsonKill extends AnalyzeNodeJsonOom {
  node: string | null;
  foundIn: ('api' | 'prometheus' | 'history')[];
  workingSetAtKillBytes: number | null;
  nodePressure: { someMaxPercent: number; fullMaxPercent: number | null } | null;
  message: string | null;
}

export interface AnalyzeWorkloadJsonContainer {
  name: string;
  containerType: 'container' | 'init' | 'sidecar' | 'ephemeral';
  requestBytes: number | null;
  limitBytes: number | null;
  workingSet: { p50: number; p95: number; max: number } | null;
  atKills: { time: string | null; bytes: number | null }[];
}

/** The `analyze-workload --format json` object (docs/cli.md). */
export interface AnalyzeWorkloadJson {
  version: 1;
  context: string;
  since: string;
  until: string;
  workload: { kind: string; name: string; namespace: string };
  selector: string | null;
  qosClass: string | null;
  pods: { name: string; node: string | null; phase: string | null; restarts: number; live: boolean }[];
  ooms: AnalyzeWorkloadJsonKill[];
  evictions: AnalyzeWorkloadJsonKill[];
  containers: AnalyzeWorkloadJsonContainer[];
  nodes: {
    name: string;
    present: boolean;
    pods: string[];
    capacityBytes: number | null;
    swapCapacityBytes: number | null;
    swapBehavior: string | null;
  }[];
  disagreements: { pod: string; container: string | null; sentence: string }[];
  sources: Record<string, string>;
  notes: string[];
}

/** The `triage --format json` object (docs/cli.md). */
export interface TriageJson {
  version: 1;
  context: string;
  since: string;
  until: string;
  via: 'prometheus' | 'api';
  workloads: {
    kind: string;
    name: string;
    namespace: string;
    ooms: number;
    evictions: number;
    dominantClass: string | null;
    afterThrashingShare: number | null;
  }[];
  sources: Record<string, string>;
  notes: string[];
}

// ---------------------------------------------------------------- the schemas (JSON Schema draft-07, for ajv)

type Schema<T> = JSONSchemaType<T>;

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const nStr = { type: 'string', nullable: true } as const;
const nInt = { type: 'integer', nullable: true } as const;
const nNum = { type: 'number', nullable: true } as const;
const time = { type: 'string', format: 'date-time', nullable: true } as const;
const strings = { type: 'array', items: str } as const;
const lineRange = { type: 'array', items: [int, int], minItems: 2, maxItems: 2 } as const;
const bytes = { type: ['integer', 'string'], nullable: true, pattern: '^\\d+$' } as const;
const oomClass = {
  type: 'string',
  enum: [
    'container-limit',
    'pod-limit',
    'node-allocatable',
    'ancestor-limit',
    'system',
    'eviction',
    'userspace',
    'unknown',
  ],
} as const;
const qos = { type: 'string', nullable: true, enum: ['Guaranteed', 'Burstable', 'BestEffort', null] } as const;
const precededBy = { type: 'string', nullable: true, enum: ['thrashing', 'pressure', null] } as const;

/** An object schema whose every property is required and no other is allowed. */
function closed<T>(properties: { [K in keyof Required<T>]: unknown }, nullable = false): Schema<T> {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
    ...(nullable ? { nullable: true } : {}),
  } as unknown as Schema<T>;
}

const position = closed<LintJsonPosition>({ line: int, character: int });

export const LINT_JSON_SCHEMA: Schema<LintJson> = closed<LintJson>({
  version: { type: 'integer', const: 1 },
  findings: {
    type: 'array',
    items: closed<LintJsonFinding>({
      file: str,
      ruleId: str,
      severity: { type: 'string', enum: ['error', 'warning', 'information'] },
      message: str,
      range: closed({ start: position, end: position }),
      object: closed<LintJsonObjectRef>({ kind: str, name: nStr, namespace: nStr, document: int }, true),
      container: nStr,
    }),
  },
  objects: {
    type: 'array',
    items: closed<LintJsonObject>({
      file: str,
      document: int,
      kind: str,
      name: nStr,
      namespace: nStr,
      qosClass: qos,
      containers: {
        type: 'array',
        items: closed<LintJsonContainer>({
          name: nStr,
          init: bool,
          sidecar: bool,
          requests: closed({ memory: bytes }),
          limits: closed({ memory: bytes }),
          oomScoreAdj: nInt,
        }),
      },
    }),
  },
});

const invoker = closed<KernelInvokerJson>(
  { comm: str, pid: nInt, gfpMask: nStr, order: nInt, oomScoreAdj: nInt },
  true,
);
const phaseProperties = {
  scope: str,
  phase: { type: 'string', enum: ['pressure', 'thrashing', 'severe'] },
  start: time,
  end: time,
  peakSomePercent: num,
  peakFullPercent: num,
  signals: str,
};

export const ANALYZE_LOG_JSON_SCHEMA: Schema<AnalyzeLogJson> = {
  ...closed<AnalyzeLogJson>({
    version: { type: 'integer', const: 1 },
    ooms: {
      type: 'array',
      items: closed<AnalyzeLogJsonOom>({
        time,
        monotonicSeconds: nNum,
        pid: nInt,
        comm: nStr,
        killer: { type: 'string', enum: ['kernel', 'systemd-oomd', 'earlyoom'] },
        killerReason: nStr,
        groupKill: closed<GroupKillJson>({ cgroup: str, selectedPid: nInt, size: nInt }, true),
        cgroupCut: bool,
        constraint: nStr,
        oomMemcg: nStr,
        taskMemcg: nStr,
        class: oomClass,
        oomScoreAdj: nInt,
        anonRssKb: nInt,
        fileRssKb: nInt,
        shmemRssKb: nInt,
        pod: closed({ uid: str }, true),
        containerId: nStr,
        precededBy,
        uid: nInt,
        totalVmKb: nInt,
        memcgLimitKb: nInt,
        globalOom: bool,
        invoker,
        evidence: strings,
        psiScope: nStr,
        precededForSeconds: nNum,
        notJudged: { type: 'string', nullable: true, enum: ['no-psi', 'no-time', 'no-scope', 'no-coverage', null] },
        truncated: bool,
        lines: lineRange,
      }),
    },
    phases: { type: 'array', items: closed<AnalyzeLogJsonPhase>({ ...phaseProperties, durationSeconds: nNum }) },
    incompleteReports: {
      type: 'array',
      items: closed<AnalyzeLogJsonIncomplete>({ time, monotonicSeconds: nNum, lines: lineRange, invoker, note: str }),
    },
    unreadLines: { type: 'array', items: closed<UnreadLineJson>({ line: int, text: str }) },
    unreadLineCount: int,
    local: closed<AnalyzeLogJsonLocal>({
      kernelLogSource: str,
      samples: int,
      cgroup: closed(
        {
          dir: str,
          scope: str,
          currentBytes: nInt,
          maxBytes: nInt,
          events: { type: 'object', additionalProperties: int, required: [] },
        },
        true,
      ),
    }),
  }),
  required: ['version', 'ooms', 'phases', 'incompleteReports', 'unreadLines', 'unreadLineCount'],
};

const sourceState = { type: 'string', pattern: '^(ok|(forbidden|unavailable|error): .+)$' } as const;
const averages = closed<JsonAverages>({ avg10: num, avg60: num, avg300: num });
const pressureProperties = { some: averages, full: { ...averages, nullable: true } };
const nBool = { type: 'boolean', nullable: true } as const;
const nodeCondition = closed<JsonNodeCondition>({ status: str, since: time }, true);

const oomProperties = {
  namespace: nStr,
  pod: nStr,
  container: nStr,
  containerType: { type: 'string', nullable: true, enum: ['container', 'init', 'sidecar', 'ephemeral', null] },
  limitBytes: nInt,
  time,
  class: oomClass,
  qosClass: qos,
  precededBy,
  evidence: strings,
  processes: { type: 'array', items: closed<AnalyzeNodeJsonProcess>({ pid: nInt, comm: nStr }) },
};

export const ANALYZE_NODE_JSON_SCHEMA: Schema<AnalyzeNodeJson> = closed<AnalyzeNodeJson>({
  version: { type: 'integer', const: 1 },
  context: str,
  node: closed(
    {
      name: str,
      capacityBytes: nInt,
      allocatableBytes: nInt,
      memoryPressure: nodeCondition,
      systemMemoryContentionPressure: nodeCondition,
      kubepodsMemoryContentionPressure: nodeCondition,
      kubelet: closed<AnalyzeNodeJsonKubelet>({
        source: { type: 'string', nullable: true, enum: ['configz', null] },
        kubeReservedMemoryBytes: nInt,
        systemReservedMemoryBytes: nInt,
        evictionHardMemoryAvailable: nStr,
        kubepodsLimitBytes: nInt,
        singleProcessOOMKill: nBool,
        swapBehavior: nStr,
        memoryQoS: nBool,
      }),
      budget: closed<AnalyzeNodeJsonBudget>({
        capacityBytes: nInt,
        systemReservedBytes: nInt,
        kubeReservedBytes: nInt,
        evictionHardBytes: nInt,
        allocatableBytes: nInt,
        kubepodsLimitBytes: nInt,
        workingSetBytes: nInt,
      }),
    },
    true,
  ),
  sources: {
    ...closed({
      node: sourceState,
      pods: sourceState,
      events: sourceState,
      summary: sourceState,
      cadvisor: sourceState,
      metrics: sourceState,
      prometheus: sourceState,
      configz: sourceState,
    }),
    required: ['pods', 'events', 'summary', 'cadvisor', 'metrics', 'prometheus', 'configz'],
  },
  pressure: closed({
    node: closed<JsonPressure>(pressureProperties, true),
    pods: {
      type: 'array',
      items: closed<AnalyzeNodeJsonPodPressure>({ namespace: str, name: str, ...pressureProperties }),
    },
    scope: strings,
  }),
  phases: { type: 'array', items: closed<JsonPhase>(phaseProperties) },
  ooms: {
    type: 'array',
    items: closed<AnalyzeNodeJsonOom>(oomProperties),
  },
  evictions: {
    type: 'array',
    items: closed<AnalyzeNodeJsonEviction>({ namespace: nStr, pod: nStr, time, message: nStr }),
  },
  swap: closed<AnalyzeNodeJsonSwap>({ behavior: nStr, capacityBytes: nInt, usageBytes: nInt }),
  containers: {
    type: 'array',
    items: closed<AnalyzeNodeJsonContainer>({
      namespace: str,
      pod: str,
      container: str,
      qosClass: qos,
      swapLimitBytes: nInt,
      noSwapReason: nStr,
      swapUsageBytes: nInt,
      memoryHighBytes: nInt,
    }),
  },
});

const workloadKill = closed<AnalyzeWorkloadJsonKill>({
  ...oomProperties,
  node: nStr,
  foundIn: { type: 'array', items: { type: 'string', enum: ['api', 'prometheus', 'history'] } },
  workingSetAtKillBytes: nInt,
  nodePressure: closed({ someMaxPercent: num, fullMaxPercent: nNum }, true),
  message: nStr,
});

const sourceStates = { type: 'object', additionalProperties: str, required: [] } as const;

export const ANALYZE_WORKLOAD_JSON_SCHEMA: Schema<AnalyzeWorkloadJson> = closed<AnalyzeWorkloadJson>({
  version: { type: 'integer', const: 1 },
  context: str,
  since: { type: 'string', format: 'date-time' },
  until: { type: 'string', format: 'date-time' },
  workload: closed({ kind: str, name: str, namespace: str }),
  selector: nStr,
  qosClass: qos,
  pods: {
    type: 'array',
    items: closed({ name: str, node: nStr, phase: nStr, restarts: int, live: bool }),
  },
  ooms: { type: 'array', items: workloadKill },
  evictions: { type: 'array', items: workloadKill },
  containers: {
    type: 'array',
    items: closed<AnalyzeWorkloadJsonContainer>({
      name: str,
      containerType: { type: 'string', enum: ['container', 'init', 'sidecar', 'ephemeral'] },
      requestBytes: nInt,
      limitBytes: nInt,
      workingSet: closed({ p50: num, p95: num, max: num }, true),
      atKills: { type: 'array', items: closed({ time, bytes: nNum }) },
    }),
  },
  nodes: {
    type: 'array',
    items: closed({
      name: str,
      present: bool,
      pods: strings,
      capacityBytes: nInt,
      swapCapacityBytes: nInt,
      swapBehavior: nStr,
    }),
  },
  disagreements: { type: 'array', items: closed({ pod: str, container: nStr, sentence: str }) },
  sources: sourceStates,
  notes: strings,
});

export const TRIAGE_JSON_SCHEMA: Schema<TriageJson> = closed<TriageJson>({
  version: { type: 'integer', const: 1 },
  context: str,
  since: { type: 'string', format: 'date-time' },
  until: { type: 'string', format: 'date-time' },
  via: { type: 'string', enum: ['prometheus', 'api'] },
  workloads: {
    type: 'array',
    items: closed({
      kind: str,
      name: str,
      namespace: str,
      ooms: int,
      evictions: int,
      dominantClass: { ...oomClass, nullable: true, enum: [...oomClass.enum, null] },
      afterThrashingShare: nNum,
    }),
  },
  sources: sourceStates,
  notes: strings,
});
