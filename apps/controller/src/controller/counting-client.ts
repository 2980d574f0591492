// The controller's KubeClient, counting every write it sends by verb and resource: the metric
// `tars_controller_writes_total` is how "nothing written when nothing changed" is checked (the
// bench's quiet period, the idempotence tests).
import { KubeClient, type DeleteOptions, type KubeClientOptions, type KubeObject, type KubePatch, type ResourceRef, type Selectors, type WriteOptions } from '@tars-ts/cluster';

/** `ok` false: the API server refused the write (still a request it had to serve). */
export type WriteListener = (verb: string, resource: string, ok: boolean) => void;

export class CountingKubeClient extends KubeClient {
  private readonly listeners: WriteListener[] = [];
  private accepted = 0;
  private refused = 0;

  constructor(kubeConfig: ConstructorParameters<typeof KubeClient>[0], options?: KubeClientOptions) {
    super(kubeConfig, options);
  }

  onWrite(listener: WriteListener): void {
    this.listeners.push(listener);
  }

  /** Writes the API server accepted. */
  get writes(): number {
    return this.accepted;
  }

  /** Writes the API server refused (conflicts, invalid objects, denials). */
  get failedWrites(): number {
    return this.refused;
  }

  private count<T>(verb: string, ref: ResourceRef, subresource: string | undefined, p: Promise<T>): Promise<T> {
    const resource = subresource ? `${ref.plural}/${subresource}` : ref.plural;
    const tell = (ok: boolean) => {
      if (ok) this.accepted++;
      else this.refused++;
      for (const l of this.listeners) l(verb, resource, ok);
    };
    return p.then(
      (v) => {
        tell(true);
        return v;
      },
      (e: unknown) => {
        tell(false);
        throw e;
      },
    );
  }

  override create<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T> {
    return this.count('create', ref, undefined, super.create(ref, namespace, obj, options));
  }

  override replace<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T> {
    return this.count('update', ref, undefined, super.replace(ref, namespace, obj, options));
  }

  override replaceStatus<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T> {
    return this.count('update', ref, 'status', super.replaceStatus(ref, namespace, obj, options));
  }

  override patch<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, patch: KubePatch, options: WriteOptions & { subresource?: string } = {}): Promise<T> {
    return this.count('patch', ref, options.subresource, super.patch(ref, namespace, name, patch, options));
  }

  override delete(ref: ResourceRef, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<void> {
    return this.count('delete', ref, undefined, super.delete(ref, namespace, name, options));
  }

  override deleteCollection(ref: ResourceRef, namespace: string | undefined, selectors: Selectors, options?: DeleteOptions): Promise<void> {
    return this.count('deletecollection', ref, undefined, super.deleteCollection(ref, namespace, selectors, options));
  }
}
