/**
 * A resource as the engine receives it, whichever way the program ran: under the SDK's mocks
 * (`mockRuntime.ts`) or under `@pulumi/pulumi/cmd/run` against a served monitor (`engineHost.ts`).
 */

/** A resource as the engine would see it: type token, name, inputs and options. */
export interface CapturedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** `true` for provider resources, `false` for component resources. */
  readonly custom: boolean;
  /** The inputs sent to the provider, fully resolved (secrets unwrapped; see `secretPaths`). */
  readonly inputs: Record<string, unknown>;
  /** Paths (`data.password`) of the inputs that were secret Outputs when registered. */
  readonly secretPaths: readonly string[];
  /** `type::name` of the parent resource, if any (the stack itself is not reported). */
  readonly parent?: string;
  readonly options: CapturedOptions;
}

export interface CapturedOptions {
  /** Effective `protect`, inherited from the parent as the SDK does. */
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  readonly retainOnDelete: boolean;
  /** The rest of the options as `RegisterResourceRequest` carries them; only the real runtime path sees them. */
  readonly wire?: WireOptions;
}

export interface WireOptions {
  readonly deleteBeforeReplace: boolean;
  readonly replaceOnChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  /** `type::name` of every resource this one depends on, explicit (`dependsOn`) or through its inputs. */
  readonly dependencies: readonly string[];
  readonly provider: string;
  readonly version: string;
  readonly deletedWith: string;
  readonly customTimeouts?: { readonly create: string; readonly update: string; readonly pb_delete: string };
  readonly aliases: readonly unknown[];
}

/** Values the mock "provider" computes for resources whose outputs a program reads. */
export function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return { result: `mock-password-${name}`.slice(0, Number(inputs.length ?? 32)) };
    case "random:index/randomString:RandomString":
      return { result: `mock${name}`.replace(/[^a-z0-9]/gi, "").slice(0, Number(inputs.length ?? 16)) };
    // Stand-ins for what the TLS provider generates: recognisable, never real key material.
    case "tls:index/privateKey:PrivateKey":
      return { privateKeyPem: `mock-private-key-${name}`, publicKeyPem: `mock-public-key-${name}` };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: `mock-certificate-${name}` };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: `mock-certificate-request-${name}` };
    case "aws:rds/cluster:Cluster":
      return {
        endpoint: `${name}.cluster-mock.rds.amazonaws.com`,
        readerEndpoint: `${name}.cluster-ro-mock.rds.amazonaws.com`,
        arn: `arn:aws:rds:us-east-1:000000000000:cluster:${name}`,
        clusterIdentifier: inputs.clusterIdentifier ?? name,
        port: inputs.port ?? 5432,
      };
    default:
      return {};
  }
}
