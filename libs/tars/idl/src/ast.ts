// The syntax tree of a .tars file. Names are as written; `resolve.ts` links type references to
// their declarations and computes enum values.

export interface Pos {
  file: string;
  line: number;
  column: number;
}

export type PrimitiveName =
  | 'bool'
  | 'byte'
  | 'short'
  | 'int'
  | 'long'
  | 'float'
  | 'double'
  | 'string'
  | 'unsigned byte'
  | 'unsigned short'
  | 'unsigned int';

export type TypeRef = PrimitiveType | VectorType | MapType | NamedType;

export interface PrimitiveType {
  kind: 'primitive';
  name: PrimitiveName;
}
export interface VectorType {
  kind: 'vector';
  element: TypeRef;
}
export interface MapType {
  kind: 'map';
  key: TypeRef;
  value: TypeRef;
}
/** A struct or enum named by the IDL (`Name` or `module::Name`); `target` is set by the resolver. */
export interface NamedType {
  kind: 'named';
  name: string;
  pos: Pos;
  target?: StructDecl | EnumDecl;
}

/** A literal or a reference (enum member, `Enum::Member`, constant) as written in the IDL. */
export type ValueExpr =
  | { kind: 'number'; text: string; pos: Pos }
  | { kind: 'string'; value: string; pos: Pos }
  | { kind: 'bool'; value: boolean; pos: Pos }
  | { kind: 'ref'; name: string; pos: Pos };

/** A value after checking against its type. */
export type ConstValue = number | bigint | string | boolean;

export interface FieldDecl {
  tag: number;
  required: boolean;
  type: TypeRef;
  name: string;
  default?: ValueExpr;
  /** Default after checking (set by the resolver when `default` is present). */
  defaultValue?: ConstValue;
  doc?: string;
  pos: Pos;
}

export interface StructDecl {
  kind: 'struct';
  name: string;
  module: string;
  fields: FieldDecl[];
  /** `key[Struct, a, b]`: C++ ordering only; kept for completeness. */
  keyFields?: string[];
  doc?: string;
  pos: Pos;
  file: string;
}

export interface EnumMember {
  name: string;
  expr?: ValueExpr;
  /** Computed by the resolver: explicit value, referenced value, or previous + 1. */
  value: number;
  doc?: string;
  pos: Pos;
}

export interface EnumDecl {
  kind: 'enum';
  name: string;
  module: string;
  members: EnumMember[];
  doc?: string;
  pos: Pos;
  file: string;
}

export interface ConstDecl {
  kind: 'const';
  name: string;
  module: string;
  type: TypeRef;
  expr: ValueExpr;
  value?: ConstValue;
  doc?: string;
  pos: Pos;
  file: string;
}

export interface ParamDecl {
  name: string;
  type: TypeRef;
  out: boolean;
  routeKey: boolean;
  pos: Pos;
}

export interface MethodDecl {
  name: string;
  /** undefined = void */
  returns?: TypeRef;
  params: ParamDecl[];
  doc?: string;
  pos: Pos;
}

export interface InterfaceDecl {
  kind: 'interface';
  name: string;
  module: string;
  methods: MethodDecl[];
  doc?: string;
  pos: Pos;
  file: string;
}

export type Decl = StructDecl | EnumDecl | ConstDecl | InterfaceDecl;

export interface ModuleDecl {
  name: string;
  decls: Decl[];
  pos: Pos;
}

export interface IncludeDirective {
  path: string;
  pos: Pos;
  /** Absolute path of the file it resolved to (set by the loader). */
  resolved?: string;
}

export interface IdlFile {
  /** Absolute path. */
  path: string;
  includes: IncludeDirective[];
  modules: ModuleDecl[];
}
