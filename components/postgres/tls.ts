/**
 * The TLS material of a ReplicatedPostgres: a server certificate for every name clients and replicas
 * use, in a `kubernetes.io/tls` Secret `<name>-tls` (`tls.crt`, `tls.key`, `ca.crt`) that every pod
 * mounts. Either generated with `@pulumi/tls` (a CA of the database's own, its key in Pulumi state as
 * a secret), or issued by cert-manager from an issuer the cluster already has.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** Which kind of cert-manager issuer signs the certificate. */
export const IssuerKind = { Issuer: "Issuer", ClusterIssuer: "ClusterIssuer" } as const;
export type IssuerKind = (typeof IssuerKind)[keyof typeof IssuerKind];

/** A cert-manager issuer, as a Certificate's `issuerRef` names it. */
export interface IssuerRef {
  readonly name: string;
  /** @default "Issuer" */
  readonly kind?: IssuerKind;
  /** @default "cert-manager.io" */
  readonly group?: string;
}

export interface CertManagerTls {
  readonly issuerRef: IssuerRef;
}

/** Where the server certificate comes from. */
export interface PostgresTlsArgs {
  /**
   * Issue the certificate with cert-manager (`cert-manager.io/v1` Certificate) from this issuer. Its
   * Secret must carry `ca.crt` (a CA or self-signed issuer does); clients verify against that CA.
   * @default - a CA and certificate generated with @pulumi/tls
   */
  readonly certManager?: CertManagerTls;
  /** Lifetime of the server certificate in days; renewed by `pulumi up` (or cert-manager) 30 days before it ends. @default 365 */
  readonly validityDays?: number;
}

export interface PostgresTlsTransforms {
  readonly tlsSecret?: (args: k8s.core.v1.SecretArgs) => k8s.core.v1.SecretArgs;
  readonly certificate?: (args: k8s.apiextensions.CustomResourceArgs) => k8s.apiextensions.CustomResourceArgs;
}

/** Every DNS name of the database's Services, short and qualified: what `sslmode=verify-full` checks. */
export function serverDnsNames(namespace: string, services: readonly string[], headless: readonly string[]): string[] {
  const forms = (s: string) => [s, `${s}.${namespace}`, `${s}.${namespace}.svc`, `${s}.${namespace}.svc.cluster.local`];
  return [...services.flatMap(forms), ...headless.flatMap((h) => forms(h).map((f) => `*.${f}`))];
}

const RENEW_DAYS = 30;

/** Creates the certificate and its Secret; returns the CA clients verify against when it is known here. */
export function createServerTls(
  name: string,
  o: {
    readonly namespace: string;
    readonly secretName: string;
    readonly dnsNames: readonly string[];
    readonly labels: Readonly<Record<string, string>>;
    readonly tls: PostgresTlsArgs;
    readonly transform: PostgresTlsTransforms;
    readonly parent: pulumi.Resource;
  },
): { readonly caCertPem?: pulumi.Output<string>; readonly resources: pulumi.Resource[] } {
  const child = { parent: o.parent };
  const validityDays = o.tls.validityDays ?? 365;
  const metadata = { name: o.secretName, namespace: o.namespace, labels: { ...o.labels } };
  if (o.tls.certManager) {
    const issuer = o.tls.certManager.issuerRef;
    const certificate = new k8s.apiextensions.CustomResource(
      `${name}-certificate`,
      (o.transform.certificate ?? ((a) => a))({
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: `${name}-tls`, namespace: o.namespace, labels: { ...o.labels } },
        spec: {
          secretName: o.secretName,
          commonName: o.dnsNames[0],
          dnsNames: [...o.dnsNames],
          duration: `${validityDays * 24}h`,
          renewBefore: `${RENEW_DAYS * 24}h`,
          privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
          usages: ["server auth", "digital signature"],
          issuerRef: { name: issuer.name, kind: issuer.kind ?? "Issuer", group: issuer.group ?? "cert-manager.io" },
        },
      }),
      child,
    );
    return { resources: [certificate] };
  }

  const caKey = new tls.PrivateKey(`${name}-tls-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, child);
  // The CA outlives the server certificates it signs, so renewing one never changes what clients trust.
  const ca = new tls.SelfSignedCert(
    `${name}-tls-ca`,
    {
      privateKeyPem: caKey.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: 10 * 365 * 24,
      earlyRenewalHours: 365 * 24,
      allowedUses: ["cert_signing", "crl_signing"],
      subject: { commonName: `${name} PostgreSQL CA`, organization: "ballast" },
    },
    child,
  );
  const serverKey = new tls.PrivateKey(`${name}-tls-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, child);
  const request = new tls.CertRequest(
    `${name}-tls-csr`,
    { privateKeyPem: serverKey.privateKeyPem, dnsNames: [...o.dnsNames], subject: { commonName: o.dnsNames[0], organization: "ballast" } },
    child,
  );
  const cert = new tls.LocallySignedCert(
    `${name}-tls-cert`,
    {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      caCertPem: ca.certPem,
      validityPeriodHours: validityDays * 24,
      earlyRenewalHours: RENEW_DAYS * 24,
      allowedUses: ["digital_signature", "server_auth"],
    },
    child,
  );
  const secret = new k8s.core.v1.Secret(
    `${name}-tls-secret`,
    (o.transform.tlsSecret ?? ((a) => a))({
      metadata,
      type: "kubernetes.io/tls",
      stringData: { "tls.crt": cert.certPem, "tls.key": pulumi.secret(serverKey.privateKeyPem), "ca.crt": ca.certPem },
    }),
    child,
  );
  return { caCertPem: ca.certPem, resources: [caKey, ca, serverKey, request, cert, secret] };
}
