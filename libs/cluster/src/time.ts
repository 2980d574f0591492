// Kubernetes time formats: RFC 3339 seconds (`Time`) and microseconds (`MicroTime`, used by Lease
// renew times and events.k8s.io eventTime; the API server rejects other fraction lengths).

export function kubeTime(d: Date = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function kubeMicroTime(d: Date = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
