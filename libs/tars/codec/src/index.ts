export { TarsWriter } from './writer.ts';
export { TarsReader, type TarsReaderOptions } from './reader.ts';
export { TarsDecodeError, TarsFrameError, type TarsDecodeErrorDetails } from './errors.ts';
export {
  TarsType,
  TARS_TYPE_NAMES,
  typeName,
  MAX_STRING_LENGTH,
  DEFAULT_MAX_PACKET_SIZE,
  DEFAULT_MAX_DEPTH,
  TARSVERSION,
  TUPVERSION,
  JSONVERSION,
  TARSNORMAL,
  TARSONEWAY,
  STATUS_RESULT_CODE,
  STATUS_RESULT_DESC,
} from './types.ts';
export { RequestPacket, ResponsePacket, readStringMap, writeStringMap } from './envelope.ts';
export { UniAttribute, tupResultCode, tupResultDesc, type TupValueReader, type TupValueWriter } from './uni-attribute.ts';
export { FrameDecoder, encodeFrame, type FrameDecoderOptions } from './frame.ts';
export { ArrayMap, isMap } from './array-map.ts';
