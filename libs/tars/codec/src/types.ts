// Wire type codes of the TARS binary encoding (the low nibble of every field head).
export const TarsType = {
  INT8: 0,
  INT16: 1,
  INT32: 2,
  INT64: 3,
  FLOAT: 4,
  DOUBLE: 5,
  STRING1: 6,
  STRING4: 7,
  MAP: 8,
  LIST: 9,
  STRUCT_BEGIN: 10,
  STRUCT_END: 11,
  ZERO_TAG: 12,
  SIMPLE_LIST: 13,
} as const;
export type TarsType = (typeof TarsType)[keyof typeof TarsType];

/** Readable names of the 14 wire types, indexed by type code (for error messages). */
export const TARS_TYPE_NAMES: readonly string[] = [
  'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'STRING1', 'STRING4',
  'MAP', 'LIST', 'STRUCT_BEGIN', 'STRUCT_END', 'ZERO_TAG', 'SIMPLE_LIST',
];

export function typeName(type: number): string {
  return TARS_TYPE_NAMES[type] ?? `unknown(${type})`;
}

/** Limits shared by reader and frame decoder (TarsCpp: TARS_MAX_STRING_LENGTH, TARS_NET_MAX_PACKAGE_SIZE). */
export const MAX_STRING_LENGTH = 100 * 1024 * 1024;
export const DEFAULT_MAX_PACKET_SIZE = 100 * 1024 * 1024;
/** Nesting depth (structs, lists, maps) beyond which input is treated as hostile. */
export const DEFAULT_MAX_DEPTH = 100;

// BaseF.tars constants that the envelope code and RPC runtime need.
export const TARSVERSION = 1;
export const TUPVERSION = 3;
export const JSONVERSION = 5;
export const TARSNORMAL = 0;
export const TARSONEWAY = 1;
export const STATUS_RESULT_CODE = 'STATUS_RESULT_CODE';
export const STATUS_RESULT_DESC = 'STATUS_RESULT_DESC';
