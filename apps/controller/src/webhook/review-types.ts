// admission.k8s.io/v1 AdmissionReview, the fields this webhook reads and writes.
import type { AnyObject } from '@tars-ts/api';

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: GroupVersionResource;
  subResource?: string;
  requestResource?: GroupVersionResource;
  name?: string;
  namespace?: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  userInfo?: { username?: string; groups?: string[] };
  object?: AnyObject | null;
  oldObject?: AnyObject | null;
  dryRun?: boolean;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { status: 'Failure'; code: number; reason?: string; message: string };
  patchType?: 'JSONPatch';
  patch?: string;
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

export function allow(uid: string, patch?: unknown[]): AdmissionResponse {
  const res: AdmissionResponse = { uid, allowed: true };
  if (patch && patch.length > 0) {
    res.patchType = 'JSONPatch';
    res.patch = Buffer.from(JSON.stringify(patch)).toString('base64');
  }
  return res;
}

export function deny(uid: string, message: string, code = 403): AdmissionResponse {
  return { uid, allowed: false, status: { status: 'Failure', code, reason: code === 403 ? 'Forbidden' : 'BadRequest', message } };
}
