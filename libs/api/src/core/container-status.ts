// core/v1 ContainerStatus, copied verbatim from pods into TEndpoint status. Kept opaque in the CRD
// (x-kubernetes-preserve-unknown-fields): Kubernetes owns that type and adds fields to it.
import { s, type Infer } from '../schema/dsl.ts';

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
  state?: Record<string, unknown>;
  lastState?: Record<string, unknown>;
}

export const ContainerStatus = s.opaque<ContainerStatus>();
export type ContainerStatusSchema = Infer<typeof ContainerStatus>;
