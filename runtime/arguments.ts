/**
 * Argument and body shapes shared by every generated operation: the payload keywords FalconPy
 * users know (`headers`, `content_type`, `data`, `files`, `file_data`, `file_name`) and the
 * loose Falcon response envelope used where the spec gives no schema.
 */

/** FalconPy's payload keywords: never an API parameter or body property of the same name. */
export const PAYLOAD_KEYWORDS: ReadonlySet<string> = new Set([
  "parameters",
  "body",
  "data",
  "files",
  "file_data",
  "file_name",
  "content_type",
  "headers",
]);

/** Bytes to upload: anything fetch can send as a body part. A Blob is streamed (fs.openAsBlob, fileFromPath from falconts/node), never read whole. */
export type BinaryInput = Uint8Array | ArrayBuffer | Blob;

/** FalconPy's files tuple: [field, [file name, content, mime type]]. */
export type FileTuple = readonly [field: string, file: readonly [name: string, content: BinaryInput, mime?: string]];

export type FormValue = string | number | boolean | BinaryInput | readonly (string | number | boolean)[];

/** Keywords every operation accepts. */
export interface PayloadKeywords {
  /** Extra headers for this request only. */
  headers?: Record<string, string>;
  /** Override the request's Content-Type. */
  content_type?: string;
}

/** Keywords of operations that take a form or raw bytes. */
export interface FormKeywords {
  /** Form fields (multipart or url-encoded), or raw bytes sent as the body. */
  data?: Record<string, FormValue | undefined> | BinaryInput;
  /** Files for a multipart form. */
  files?: readonly FileTuple[];
  /** Raw file bytes: the operation's file part, or the body of an octet-stream upload. */
  file_data?: BinaryInput;
  file_name?: string;
}

/** Falcon's common response envelope, for operations whose spec gives no response schema. */
export interface ResponseBody {
  meta?: Record<string, unknown>;
  resources?: unknown[] | null;
  errors?: { code?: number; message?: string; [key: string]: unknown }[] | null;
  [key: string]: unknown;
}
