/**
 * KafkaCluster: Kafka on Strimzi, composed so an autoscaler can size the brokers without losing a
 * partition. A `Kafka` in KRaft mode, a fixed controller quorum, a broker pool sized by Ballast's
 * Autoscaler through the pool's `scale` subresource, and Cruise Control moving partitions onto added
 * brokers and off leaving ones before they go. The objects are built by the pure functions of
 * `./strimzi`. See README.md.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Autoscaler, kafkaConsumerAutoscaler } from "../autoscaling";
import { COMPONENT_TOKENS, splitOptions } from "../core";
import { resolveKafkaClusterArgs, type KafkaClusterArgs, type KafkaClusterOptions } from "./args";
import { brokerAutoscalerArgs, consumerAutoscalerArgs } from "./render";
import { kafkaObject, nodePoolObject, kafkaPodMonitorObject, rebalanceTemplateObject, topicObject } from "./strimzi";
import { assertValidKafkaClusterArgs } from "./validate";

/** Where clients connect and how. */
export interface KafkaConnection {
  /** `<name>-kafka-bootstrap.<namespace>.svc:9093`. */
  readonly bootstrapServers: string;
  /** `scram-sha-512` or `tls` (a KafkaUser of that type). */
  readonly authentication: string;
  /** Strimzi's cluster CA certificate Secret (`ca.crt`): clients verify the brokers with it. */
  readonly caSecretName: string;
}

/** The children that are Ballast components, kept off the instance's properties (schema inference reads each as an output). */
interface Members {
  readonly kafka: k8s.apiextensions.CustomResource;
  readonly controllerPool: k8s.apiextensions.CustomResource;
  readonly brokerPool: k8s.apiextensions.CustomResource;
  readonly autoscaler?: Autoscaler;
  readonly consumers: readonly Autoscaler[];
}
const MEMBERS = new WeakMap<KafkaCluster, Members>();

export class KafkaCluster extends pulumi.ComponentResource {
  public readonly connection: KafkaConnection;
  /** Seconds one broker's partitions take to move at the throttle (a full volume): what paces its autoscaler. */
  public readonly rebalanceSeconds: number;

  constructor(name: string, args: KafkaClusterArgs, opts?: KafkaClusterOptions) {
    // Refused before anything is registered, the component itself included.
    assertValidKafkaClusterArgs(name, args);
    const r = resolveKafkaClusterArgs(name, args);
    const { resourceOptions, transform: t } = splitOptions(opts);
    super(COMPONENT_TOKENS.KafkaCluster.type, name, {}, resourceOptions);
    const n = r.names;
    const labels: Record<string, string> = {
      "app.kubernetes.io/name": "kafka",
      "app.kubernetes.io/instance": name,
      "app.kubernetes.io/component": "queue",
      "app.kubernetes.io/managed-by": "ballast",
      ...(args.partOf ? { "app.kubernetes.io/part-of": args.partOf } : {}),
    };
    const custom = (
      resourceName: string,
      object: { kind: string; metadata: { name: string } },
      extra: pulumi.CustomResourceOptions = {},
    ) => {
      const input = object as unknown as k8s.apiextensions.CustomResourceArgs;
      return new k8s.apiextensions.CustomResource(
        resourceName,
        t.customResource ? t.customResource(object.kind, object.metadata.name, input) : input,
        {
          parent: this,
          ...extra,
        },
      );
    };

    // The templates first: the Kafka names them, and Strimzi reads them at the first scale event.
    const templates = (["add-brokers", "remove-brokers"] as const).map((mode) =>
      custom(`${name}-rebalance-${mode}`, rebalanceTemplateObject(mode, r, labels)),
    );
    const controllerPool = custom(`${name}-controller-pool`, nodePoolObject("controller", args, r, labels));
    const brokerPool = custom(`${name}-broker-pool`, nodePoolObject("broker", args, r, labels), {
      // The Autoscaler owns the broker count after creation; `pulumi up` never resets it.
      ...(r.autoscaled ? { ignoreChanges: ["spec.replicas"] } : {}),
    });
    const kafka = custom(`${name}-kafka`, kafkaObject(args, r, labels), { dependsOn: [...templates, controllerPool, brokerPool] });
    for (const topic of r.topics) custom(`${name}-topic-${topic.name}`, topicObject(topic, r, labels), { dependsOn: [kafka] });
    if (args.monitoring?.podMonitor) custom(`${name}-pod-monitor`, kafkaPodMonitorObject(r, labels), { dependsOn: [kafka] });

    this.rebalanceSeconds = r.rebalanceSeconds;
    let autoscaler: Autoscaler | undefined;
    if (r.autoscaled) {
      autoscaler = new Autoscaler(n.autoscaler, brokerAutoscalerArgs(args, r, labels), {
        parent: this,
        dependsOn: [brokerPool],
        transform: t.autoscaler,
      });
    }
    // Consumers of the cluster's topics, sized on their group's lag once the topics exist.
    const consumers = (args.consumers ?? []).map((c) =>
      kafkaConsumerAutoscaler(n.consumerAutoscaler(c.deployment), consumerAutoscalerArgs(c, r, labels), {
        parent: this,
        dependsOn: [kafka],
        transform: t.autoscaler,
      }),
    );
    MEMBERS.set(this, { kafka, controllerPool, brokerPool, autoscaler, consumers });

    this.connection = {
      bootstrapServers: r.bootstrapServers,
      authentication: r.authentication,
      caSecretName: n.clusterCaSecret,
    };
    this.registerOutputs({ kafka, brokerPool, connection: this.connection });
  }

  /** The `Kafka` custom resource. */
  get kafka(): k8s.apiextensions.CustomResource {
    return MEMBERS.get(this)!.kafka;
  }

  get controllerPool(): k8s.apiextensions.CustomResource {
    return MEMBERS.get(this)!.controllerPool;
  }

  get brokerPool(): k8s.apiextensions.CustomResource {
    return MEMBERS.get(this)!.brokerPool;
  }

  /** The consumer Deployments' Autoscalers, in `consumers[]` order. */
  get consumerAutoscalers(): readonly Autoscaler[] {
    return MEMBERS.get(this)?.consumers ?? [];
  }

  /** The broker pool's Autoscaler; undefined when the broker count is fixed. */
  get autoscaler(): Autoscaler | undefined {
    return MEMBERS.get(this)?.autoscaler;
  }
}
