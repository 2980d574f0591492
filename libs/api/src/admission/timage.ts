// Mutating rules for TImage: labels that let tarsweb and the controller select images.
import { Label } from '../meta/constants.ts';
import type { TImage } from '../kinds/timage.ts';
import { formatTime, removeLabel, setLabel } from './common.ts';

export function defaultTImage(input: TImage, ctx: { now: Date }): TImage {
  const obj = structuredClone(input);
  const meta = obj.metadata;
  setLabel(meta, Label.ImageType, obj.imageType);
  const supported = new Set(obj.imageType === 'base' ? (obj.supportedType ?? []) : []);
  for (const key of Object.keys(meta.labels ?? {})) {
    if (key.startsWith(Label.SupportedPrefix) && !supported.has(key.slice(Label.SupportedPrefix.length) as never)) removeLabel(meta, key);
  }
  for (const type of supported) setLabel(meta, `${Label.SupportedPrefix}${type}`, type);
  if (obj.releases !== undefined) {
    const seen = new Set<string>();
    obj.releases = obj.releases.filter((r) => !seen.has(r.id) && seen.add(r.id) !== undefined);
    for (const r of obj.releases) r.createTime ??= formatTime(ctx.now);
  }
  return obj;
}
