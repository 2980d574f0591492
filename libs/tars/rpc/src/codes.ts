// Protocol constants from tup/BaseF.tars (module tars). Plain consts: erasable syntax only.

export const TARSVERSION = 1;
export const TUPVERSION = 3;
export const JSONVERSION = 5;

export const TARSNORMAL = 0;
export const TARSONEWAY = 1;

/** Framework result codes (ResponsePacket.iRet), server and client side. */
export const TarsCode = {
  SUCCESS: 0,
  SERVER_DECODE_ERR: -1,
  SERVER_ENCODE_ERR: -2,
  SERVER_NO_FUNC: -3,
  SERVER_NO_SERVANT: -4,
  SERVER_RESET_GRID: -5,
  SERVER_QUEUE_TIMEOUT: -6,
  INVOKE_TIMEOUT: -7,
  PROXY_CONNECT_ERR: -8,
  SERVER_OVERLOAD: -9,
  ADAPTER_NULL: -10,
  INVOKE_BY_INVALID_SET: -11,
  CLIENT_DECODE_ERR: -12,
  SEND_REQUEST_ERR: -13,
  SERVER_UNKNOWN_ERR: -99,
} as const;
export type TarsCode = (typeof TarsCode)[keyof typeof TarsCode];

/** iMessageType bits. */
export const MessageType = {
  NULL: 0x00,
  HASH: 0x01,
  GRID: 0x02,
  DYED: 0x04,
  SAMPLE: 0x08,
  ASYNC: 0x10,
  SETNAME: 0x80,
  TRACE: 0x100,
} as const;

/** Keys of RequestPacket.status used by the framework. */
export const STATUS_RESULT_CODE = 'STATUS_RESULT_CODE';
export const STATUS_RESULT_DESC = 'STATUS_RESULT_DESC';

/** The function name every servant answers with success. */
export const TARS_PING = 'tars_ping';
