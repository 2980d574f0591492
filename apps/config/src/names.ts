// Checks on the names a ConfigF caller sends. A config name becomes a file name on the caller's
// side (RemoteConfig writes basePath/<file>), so anything that is not a plain TConfig configName
// (no path separators, no leading dot) is refused before any lookup.
import { CONFIG_NAME, TARS_NAME } from '@tars-ts/api';

const CONFIG_NAME_RE = new RegExp(CONFIG_NAME);
const TARS_NAME_RE = new RegExp(TARS_NAME);
const MAX_NAME = 63;

/** Why `name` is not a valid config name, or undefined when it is. */
export function configNameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME || !CONFIG_NAME_RE.test(name)) {
    const shown = JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}...` : name);
    return `invalid config name ${shown}: letters, digits, '-', '_' and '.' only, no path separators, at most ${MAX_NAME} characters`;
  }
  return undefined;
}

/** Why app/server are not valid (server may be empty: an app-level config), or undefined. */
export function appServerProblem(app: string, server: string): string | undefined {
  if (app.length > MAX_NAME || !TARS_NAME_RE.test(app)) return `invalid app name ${JSON.stringify(app.slice(0, 100))}`;
  if (server !== '' && (server.length > MAX_NAME || !TARS_NAME_RE.test(server))) return `invalid server name ${JSON.stringify(server.slice(0, 100))}`;
  return undefined;
}

/** `App.Server` → [App, Server]; `App` → [App, ""] (an app-level config); anything else undefined. */
export function splitAppServer(appServerName: string): [string, string] | undefined {
  const parts = appServerName.split('.');
  if (parts.length === 1) return [parts[0], ''];
  if (parts.length === 2) return [parts[0], parts[1]];
  return undefined;
}
