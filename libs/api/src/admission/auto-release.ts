// Upstream's v1beta2 convenience: a TServer created without a release gets the default release
// of its TImage (the image labelled with its app and server), unless `tars.io/AutoRelease: "false"`.
import { Annotation, Label } from '../meta/constants.ts';
import type { TImage } from '../kinds/timage.ts';
import type { TServer } from '../kinds/tserver/v1beta3.ts';
import { labelOf } from './common.ts';

export function autoRelease(input: TServer, timages: readonly TImage[]): TServer {
  const obj = structuredClone(input);
  if (obj.spec.release !== undefined || obj.metadata.annotations?.[Annotation.AutoRelease] === 'false') return obj;
  for (const image of timages) {
    if (labelOf(image, Label.ServerApp) !== obj.spec.app || labelOf(image, Label.ServerName) !== obj.spec.server) continue;
    const release = image.releases?.find((r) => r.id === image.default);
    if (release === undefined) continue;
    obj.spec.release = { id: release.id, image: release.image, ...(release.secret ? { secret: release.secret } : {}) };
    return obj;
  }
  return obj;
}
