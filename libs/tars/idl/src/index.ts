export type * from './ast.ts';
export { IdlError } from './errors.ts';
export { tokenize, type Token, type TokenKind } from './lexer.ts';
export { parseIdl } from './parser.ts';
export { includeCandidates, loadFiles, type LoadedFiles, type LoadOptions } from './loader.ts';
export { parseNumber, resolveProgram, type Program } from './resolve.ts';
export { generate, generateFromFiles, type GenerateOptions } from './generator.ts';
export type { RuntimeModules } from './gen/context.ts';
