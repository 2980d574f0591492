// Name rules of Kubernetes and of Tars. Names here become object names, label values, DNS names
// and file-system paths (tarsnode config files, local-volume directories), so they are strict.

export const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const DNS1123_SUBDOMAIN_MAX = 253;
/** Tars application and server names: a letter, then letters and digits. */
export const TARS_NAME = '^[A-Za-z][0-9A-Za-z]*$';
/** Servant (object) names, e.g. `HelloObj`. */
export const SERVANT_NAME = '^[A-Za-z][0-9A-Za-z]{0,62}$';
/** Container port names (IANA service name shape, lower case). */
export const PORT_NAME = '^([0-9a-z][-0-9a-z]*)?[0-9a-z]$';
/** Release ids and config names: become image tags, label values and file names. */
export const RELEASE_ID = '^([0-9A-Za-z][-_.0-9A-Za-z]*)?[0-9A-Za-z]$';
export const CONFIG_NAME = '^([0-9A-Za-z][-._0-9A-Za-z]*)?[0-9A-Za-z]$';
/** Image references, lower case only (`-./0-9:` and `a-z`). */
export const IMAGE = '^[\\x2D-\\x3A\\x61-\\x7A]*$';
/** Pod condition types (qualified names), e.g. `tars.io/active`. */
export const CONDITION_TYPE = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';
/** Kubernetes resource quantities (`100m`, `1Gi`, `0.5`). */
export const QUANTITY = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

const dnsSubdomain = new RegExp(DNS1123_SUBDOMAIN);

/** Why `name` is not a DNS-1123 subdomain, or undefined when it is one. */
export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length > DNS1123_SUBDOMAIN_MAX) return `must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`;
  if (!dnsSubdomain.test(name)) return `${JSON.stringify(name)} must be a DNS-1123 subdomain (lower case alphanumerics, '-' and '.', starting and ending alphanumeric)`;
  return undefined;
}

/** The TServer (and StatefulSet, Service, TEndpoint) name of an app/server pair. */
export function tserverName(app: string, server: string): string {
  return `${app.toLowerCase()}-${server.toLowerCase()}`;
}
