/**
 * Node-only helpers, published as `falconts/node`: they use node:fs, so they stay out of the
 * core import path (the SDK itself runs wherever fetch exists).
 */
import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { PayloadValidationError } from "./errors.js";

export interface FileFromPathOptions {
  /** MIME type of the file part (default: none, the router sends application/octet-stream). */
  type?: string;
  /** File name sent with the part (default: the path's base name); `file_name` in a call wins. */
  name?: string;
}

function refuse(message: string): never {
  throw new PayloadValidationError("fileFromPath", [{ path: ["path"], message }]);
}

/**
 * A file on disk as a `File` for an upload (`file_data`, a file parameter such as `sample`, or a
 * `files` entry). Nothing is read here: the bytes stream from disk while the request is sent,
 * so a 256 MB sample never sits in memory. The file must not change until it is sent.
 */
export async function fileFromPath(path: string, options: FileFromPathOptions = {}): Promise<File> {
  if (typeof path !== "string" || path === "") refuse("expected the path of a file as a non-empty string");
  if (typeof options !== "object" || options === null) refuse("options must be an object { type?, name? }");
  const { type = "", name = basename(path) } = options;
  if (typeof type !== "string" || typeof name !== "string") refuse("options.type and options.name must be strings");
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    refuse(`cannot open ${JSON.stringify(path)}${typeof code === "string" ? ` (${code})` : ""}`);
  }
  if (!isFile) refuse(`${JSON.stringify(path)} is not a regular file`);
  // File over the disk-backed Blob: a reference, not a copy
  return new File([await openAsBlob(path, { type })], name, { type });
}
