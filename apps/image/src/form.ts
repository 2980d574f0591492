/**
 * The upload form (§9.10): field names as tarsweb sends them, checked before anything is
 * written, because they become file names, image references and TImage fields.
 */
import { DNS1123_SUBDOMAIN, SERVER_TYPES, TARS_NAME, type ServerType } from '@tars-ts/api';

export class BadRequestError extends Error {
  override name = 'BadRequestError';
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

export interface BuildForm {
  serverApp: string;
  serverName: string;
  serverType: ServerType;
  serverTag?: string;
  secret?: string;
  baseImage: string;
  baseImageSecret?: string;
  createPerson?: string;
  mark?: string;
}

const TARS = new RegExp(TARS_NAME);
const SECRET = new RegExp(DNS1123_SUBDOMAIN);
/** Docker tag grammar. */
const TAG = /^[\w][\w.-]{0,127}$/;
/** `[host[:port]/]path[:tag][@digest]`: a host has a dot or a port (or is localhost); path components are lower-case. */
const IMAGE_REF = /^(((?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(:\d{1,5})?|[a-zA-Z0-9-]+:\d{1,5}|localhost(:\d{1,5})?)\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

function optional(fields: Map<string, string>, name: string, check?: (v: string) => boolean, max = 1600): string | undefined {
  const v = fields.get(name)?.trim();
  if (!v) return undefined;
  if (v.length > max) throw new BadRequestError(`${name} is longer than ${max} characters`);
  if (check && !check(v)) throw new BadRequestError(`${name} ${JSON.stringify(v)} is not valid`);
  return v;
}

function required(fields: Map<string, string>, name: string, check: (v: string) => boolean, max = 500): string {
  const v = optional(fields, name, check, max);
  if (!v) throw new BadRequestError(`field ${name} is required`);
  return v;
}

export function parseBuildForm(fields: Map<string, string>): BuildForm {
  const serverType = required(fields, 'ServerType', (v) => (SERVER_TYPES as readonly string[]).includes(v), 20);
  return {
    serverApp: required(fields, 'ServerApp', (v) => TARS.test(v), 63),
    serverName: required(fields, 'ServerName', (v) => TARS.test(v), 63),
    serverType: serverType as ServerType,
    serverTag: optional(fields, 'ServerTag', (v) => TAG.test(v), 128),
    secret: optional(fields, 'Secret', (v) => SECRET.test(v), 253),
    baseImage: required(fields, 'BaseImage', (v) => IMAGE_REF.test(v), 500),
    baseImageSecret: optional(fields, 'BaseImageSecret', (v) => SECRET.test(v), 253),
    createPerson: optional(fields, 'CreatePerson', undefined, 100),
    mark: optional(fields, 'Mark', undefined, 1600),
  };
}

/** Stored package extension from the uploaded file name; undefined when not a package we build. */
export function packageExtension(fileName: string): '.tgz' | '.war' | '.jar' | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tgz') || lower.endsWith('.tar.gz')) return '.tgz';
  if (lower.endsWith('.war')) return '.war';
  if (lower.endsWith('.jar')) return '.jar';
  return undefined;
}
