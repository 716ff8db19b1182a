import { collect, CPU_QUANTITY, DNS_LABEL, MEMORY_QUANTITY, quoted, type Rule } from "../core";
import type { Probe, StatefulWorkloadArgs, WorkloadReplicas } from "./args";

/** Largest replica count Ballast accepts for one StatefulSet. */
export const MAX_REPLICAS = 1000;

/** DNS-1035 label, at most 52 characters: StatefulSet pods add `-<ordinal>` and a revision-hash label. */
const NAME = DNS_LABEL;
const CPU = CPU_QUANTITY;
const MEMORY = MEMORY_QUANTITY;
const SIZE = /^[1-9]\d*(Mi|Gi|Ti)$/;

/** Every problem with a StatefulWorkload's arguments, checked before any child is created. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function validateWorkloadArgs(name: string, args: StatefulWorkloadArgs): string[] {
  const rules: Rule[] = [
    {
      failed: !NAME.test(name) || name.length > 52,
      message: `name (${quoted(name)}) must be a lowercase DNS label of at most 52 characters ([a-z0-9-], starting with a letter)`,
    },
    ...replicaRules(args.replicas),
    {
      failed: args.autoscaling !== undefined && args.replicas?.count !== undefined,
      message: `autoscaling needs replicas as a range { min, max } (found the fixed count ${quoted(args.replicas?.count)}): one party owns spec.replicas`,
    },
    { failed: !(args.containers?.length > 0), message: "containers must list at least one container" },
    { failed: !(args.ports?.length > 0), message: "ports must list at least one port (the Services need one)" },
    {
      failed: args.podManagementPolicy !== undefined && !["OrderedReady", "Parallel"].includes(args.podManagementPolicy),
      message: `podManagementPolicy (${quoted(args.podManagementPolicy)}) must be "OrderedReady" or "Parallel"`,
    },
  ];
  if (!(args.containers?.length > 0) || !(args.ports?.length > 0)) return collect(rules);
  const mainEnv = new Set((args.containers[0]?.env ?? []).map((e) => (e as { name?: unknown }).name));
  for (const key of Object.keys(args.secretEnv ?? {})) {
    rules.push(
      { failed: !ENV_NAME.test(key), message: `secretEnv.${key} is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)` },
      { failed: mainEnv.has(key), message: `secretEnv.${key} is also set in containers[0].env; set it in one place` },
    );
  }

  const seen = new Set<string>();
  for (const [i, c] of [...args.containers, ...(args.initContainers ?? [])].entries()) {
    const isInit = i >= args.containers.length;
    const at = isInit ? `initContainers[${i - args.containers.length}]` : `containers[${i}]`;
    const requests = c.resources?.requests ?? {};
    rules.push(
      { failed: !NAME.test(c.name) || c.name.length > 63, message: `${at}.name (${quoted(c.name)}) must be a lowercase DNS label` },
      { failed: seen.has(c.name), message: `${at}.name (${quoted(c.name)}) is used by another container` },
      { failed: !c.image, message: `${at}.image is required` },
      { failed: requests.cpu === undefined, message: `${at} ('${c.name}') must request cpu (resources.requests.cpu)` },
      {
        failed: requests.cpu !== undefined && !CPU.test(requests.cpu),
        message: `${at}.resources.requests.cpu (${quoted(requests.cpu)}) is not a CPU quantity like "250m" or "2"`,
      },
      { failed: requests.memory === undefined, message: `${at} ('${c.name}') must request memory (resources.requests.memory)` },
      {
        failed: requests.memory !== undefined && !MEMORY.test(requests.memory),
        message: `${at}.resources.requests.memory (${quoted(requests.memory)}) is not a memory quantity like "512Mi" or "2Gi"`,
      },
    );
    if (!isInit) {
      const probes = c as { readinessProbe?: Probe; livenessProbe?: Probe; startupProbe?: Probe };
      const probe = probes.readinessProbe;
      rules.push({
        failed: probe === undefined || probe === null,
        message: `${at} ('${c.name}') must have a readinessProbe: a stateful pod is not ready when it starts`,
      });
      for (const kind of ["readinessProbe", "livenessProbe", "startupProbe"] as const)
        rules.push(...probeRules(`${at}.${kind}`, probes[kind]));
    }
    seen.add(c.name);
  }

  const portNames = new Set<string>();
  for (const [i, p] of args.ports.entries()) {
    rules.push(
      {
        failed: !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name) || p.name.length > 15,
        message: `ports[${i}].name (${quoted(p.name)}) must be an IANA service name (lowercase, at most 15 characters)`,
      },
      { failed: portNames.has(p.name), message: `ports[${i}].name (${quoted(p.name)}) is used by another port` },
      { failed: !isPort(p.port), message: `ports[${i}].port (${quoted(p.port)}) must be an integer from 1 to 65535` },
      {
        failed: p.targetPort !== undefined && !isPort(p.targetPort),
        message: `ports[${i}].targetPort (${quoted(p.targetPort)}) must be an integer from 1 to 65535`,
      },
    );
    portNames.add(p.name);
  }

  if (args.storage) {
    rules.push(
      {
        failed: !SIZE.test(args.storage.size),
        message: `storage.size (${quoted(args.storage.size)}) is not a size like "10Gi" (Mi, Gi or Ti)`,
      },
      { failed: !args.storage.storageClassName, message: "storage.storageClassName is required" },
      {
        failed: !args.storage.mountPath?.startsWith("/"),
        message: `storage.mountPath (${quoted(args.storage.mountPath)}) must be an absolute path`,
      },
    );
  }
  for (const key of ["whenDeleted", "whenScaled"] as const) {
    const v = args.pvcRetention?.[key];
    rules.push({
      failed: v !== undefined && v !== "Retain" && v !== "Delete",
      message: `pvcRetention.${key} (${quoted(v)}) must be "Retain" or "Delete"`,
    });
  }
  for (const key of ["zone", "host"] as const) {
    const v = args.spread?.[key];
    rules.push({
      failed: v !== undefined && !["required", "preferred", "off"].includes(v),
      message: `spread.${key} (${quoted(v)}) must be "required", "preferred" or "off"`,
    });
  }
  for (const key of ["runAsUser", "runAsGroup", "fsGroup"] as const) {
    const v = args.runAs?.[key];
    rules.push({
      failed: v !== undefined && !(Number.isInteger(v) && v > 0),
      message: `runAs.${key} (${quoted(v)}) must be a positive integer (pods never run as root)`,
    });
  }
  const wait = args.awaitTimeoutSeconds;
  rules.push({
    failed: wait !== undefined && !(Number.isInteger(wait) && wait >= 60 && wait <= 86400),
    message: `awaitTimeoutSeconds (${quoted(wait)}) must be an integer from 60 to 86400`,
  });
  const grace = args.terminationGracePeriodSeconds;
  rules.push({
    failed: grace !== undefined && !(Number.isInteger(grace) && grace >= 0 && grace <= 3600),
    message: `terminationGracePeriodSeconds (${quoted(grace)}) must be an integer from 0 to 3600`,
  });

  return collect(rules);
}

function replicaRules(replicas: WorkloadReplicas | undefined): Rule[] {
  const int = (v: unknown) => Number.isInteger(v);
  const { count, min, max } = replicas ?? {};
  if (count !== undefined || (min === undefined && max === undefined)) {
    return [
      {
        failed: count === undefined,
        message: `replicas (${quoted(replicas)}) must be { count } (a fixed count) or { min, max } (a range an autoscaler owns)`,
      },
      {
        failed: count !== undefined && (min !== undefined || max !== undefined),
        message: `replicas (${quoted(replicas)}) sets count and a range; give one: { count } or { min, max }`,
      },
      {
        failed: count !== undefined && (!int(count) || count < 1 || count > MAX_REPLICAS),
        message: `replicas.count (${quoted(count)}) must be an integer from 1 to ${MAX_REPLICAS}`,
      },
    ];
  }
  return [
    {
      failed: !int(min) || (min as number) < 1,
      message: `replicas.min (${quoted(min)}) must be an integer >= 1: a stateful workload never scales to zero`,
    },
    { failed: !int(max) || (max as number) > MAX_REPLICAS, message: `replicas.max (${quoted(max)}) must be an integer <= ${MAX_REPLICAS}` },
    {
      failed: int(min) && int(max) && (max as number) < (min as number),
      message: `replicas.max (${max}) must be >= replicas.min (${min})`,
    },
  ];
}

/** A probe has one action, and a port given one way (a number or a container port's name). */
function probeRules(at: string, probe: Probe | undefined): Rule[] {
  if (probe === undefined || probe === null) return [];
  const actions = (["httpGet", "tcpSocket", "exec", "grpc"] as const).filter((a) => probe[a] !== undefined);
  const rules: Rule[] = [
    {
      failed: actions.length !== 1,
      message: `${at} must set exactly one of httpGet, tcpSocket, exec and grpc (found ${actions.length === 0 ? "none" : actions.join(", ")})`,
    },
  ];
  for (const action of ["httpGet", "tcpSocket"] as const) {
    const p = probe[action];
    if (p === undefined) continue;
    rules.push(
      {
        failed: (p.port === undefined) === (p.portName === undefined),
        message: `${at}.${action} must set exactly one of port and portName`,
      },
      {
        failed: p.port !== undefined && !isPort(p.port),
        message: `${at}.${action}.port (${quoted(p.port)}) must be an integer from 1 to 65535`,
      },
    );
  }
  return rules;
}

function isPort(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
}
