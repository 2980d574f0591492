// The part of tar-stream 2 (no bundled types) that extract.ts uses.
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';
  interface Headers {
    name: string;
    mode?: number;
    size?: number;
    type?: 'file' | 'link' | 'symlink' | 'directory' | 'block-device' | 'character-device' | 'fifo' | 'contiguous-file' | 'pax-header' | 'pax-global-header' | 'gnu-long-link-path' | 'gnu-long-path' | null;
    linkname?: string | null;
  }
  interface Extract extends Writable {
    on(event: 'entry', listener: (headers: Headers, stream: Readable, next: (error?: unknown) => void) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
  }
  interface Pack extends Readable {
    entry(headers: Partial<Headers> & { name: string }, buffer?: string | Buffer, callback?: (error?: Error) => void): Writable;
    finalize(): void;
  }
  function extract(): Extract;
  function pack(): Pack;
  const tar: { extract: typeof extract; pack: typeof pack };
  export default tar;
  export { extract, pack };
}
