/**
 * Reading the files the CLI is given — policies, worlds, expectations, and the policies `serve`
 * reloads — through one bounded reader: nothing is read past a limit fixed before reading, so
 * `xdpolicy lint /dev/zero` ends with an error naming the file and the limit instead of growing
 * past a gigabyte.
 *
 * The limits derive from the XML front end's: a policy file may be as long as the parser accepts
 * (`DEFAULT_XML_LIMITS.maxLength`, counted here in bytes, which a file never has fewer of than
 * characters). A world holds many policies, so it gets a multiple of that.
 *
 * @module
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { DEFAULT_XML_LIMITS } from '../src/xml/document.js';

/** How large one kind of input may be, and what to call it in an error. */
export interface InputLimit {
  /** Most bytes read; a longer file is refused. */
  maxBytes: number;
  /** What the file is, for the error ("a policy file"). */
  what: string;
  /** Where the figure comes from, for the error. */
  source: string;
}

/** A policy file (lint FILE, decide --policy, serve --flash/--silverlight/--crossdomain). */
export const POLICY_FILE_LIMIT: InputLimit = {
  maxBytes: DEFAULT_XML_LIMITS.maxLength,
  what: 'a policy file',
  source: 'DEFAULT_XML_LIMITS.maxLength',
};

/** A world snapshot (decide --world): many policies, each up to the policy limit. */
export const WORLD_FILE_LIMIT: InputLimit = {
  maxBytes: 16 * DEFAULT_XML_LIMITS.maxLength,
  what: 'a world file',
  source: '16 × DEFAULT_XML_LIMITS.maxLength',
};

/** An expectations file (certify --expect). */
export const EXPECTATIONS_FILE_LIMIT: InputLimit = {
  maxBytes: DEFAULT_XML_LIMITS.maxLength,
  what: 'an expectations file',
  source: 'DEFAULT_XML_LIMITS.maxLength',
};

/** A client configuration (decide --client-config, a JSON file) or an mms.cfg (decide --mms-cfg). */
export const CONFIG_FILE_LIMIT: InputLimit = {
  maxBytes: DEFAULT_XML_LIMITS.maxLength,
  what: 'a configuration file',
  source: 'DEFAULT_XML_LIMITS.maxLength',
};

/** Options of {@link readBoundedFile}. */
export interface ReadOptions {
  /**
   * Read only a regular file (a symbolic link to one is fine): a FIFO, a device or a socket is
   * refused after `fstat`, before any read, and the file is opened with `O_NONBLOCK`, so even a
   * FIFO without a writer cannot hold up the open. For a long-running process (`serve`), where a
   * read that never ends would stall every listener. One-shot commands leave it off, so that
   * `xdpolicy lint /dev/stdin` reads a pipe, still bounded.
   */
  regularOnly?: boolean;
}

/** What {@link readBoundedFile} returns: the text (UTF-8), the bytes it was decoded from and the file's `fstat`, or why not. */
export type ReadResult = { ok: true; text: string; bytes: Uint8Array; stat: Stats } | { ok: false; reason: string };

const CHUNK_BYTES = 256 * 1024;

function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}

function tooLarge(limit: InputLimit, size: number | null): string {
  const what = size === null ? `is longer than ${limit.maxBytes} bytes` : `is ${size} bytes`;
  return `${what}; the limit for ${limit.what} is ${limit.maxBytes} bytes (${mebibytes(limit.maxBytes)}, ${limit.source})`;
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

function errnoReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EISDIR':
      return 'is a directory (EISDIR)';
    case 'ELOOP':
      return 'too many symbolic links (ELOOP)';
    default:
      return code ?? (err as Error).message;
  }
}

/**
 * Reads `path` as UTF-8 text, never more than `limit.maxBytes` bytes; asynchronous throughout, so
 * a slow read holds up nothing else. Never throws: a missing, unreadable, oversized or (with
 * `regularOnly`) non-regular file gives a reason, to be printed after the file's name.
 */
export async function readBoundedFile(path: string, limit: InputLimit, options: ReadOptions = {}): Promise<ReadResult> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (options.regularOnly ? constants.O_NONBLOCK : 0));
  } catch (err) {
    return { ok: false, reason: errnoReason(err) };
  }
  try {
    // fstat the descriptor, not the path: it describes what was opened, symbolic links followed.
    const stat = await handle.stat();
    if (stat.isDirectory()) return { ok: false, reason: 'is a directory' };
    if (options.regularOnly && !stat.isFile()) return { ok: false, reason: `is not a regular file (${kindOf(stat)})` };
    if (stat.isFile() && stat.size > limit.maxBytes) return { ok: false, reason: tooLarge(limit, stat.size) };
    // The size can change, and a device or pipe has none: read at most one byte past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit.maxBytes) return { ok: false, reason: tooLarge(limit, null) };
    }
    const bytes = Buffer.concat(chunks, total);
    return { ok: true, text: bytes.toString('utf8'), bytes, stat };
  } catch (err) {
    return { ok: false, reason: errnoReason(err) };
  } finally {
    await handle.close().catch(() => {});
  }
}

/** What {@link readBoundedStream} returns: the text (UTF-8) and its bytes, or why not. */
export type StreamReadResult = { ok: true; text: string; bytes: Uint8Array } | { ok: false; reason: string };

/**
 * Reads a stream (standard input, for `lint -`) as UTF-8 text, never keeping more than
 * `limit.maxBytes` bytes: past the limit it stops reading and says so. Never throws.
 */
export async function readBoundedStream(stream: AsyncIterable<Uint8Array | string>, limit: InputLimit): Promise<StreamReadResult> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      total += buffer.length;
      if (total > limit.maxBytes) return { ok: false, reason: tooLarge(limit, null) };
      chunks.push(buffer);
    }
  } catch (err) {
    return { ok: false, reason: errnoReason(err) };
  }
  const bytes = Buffer.concat(chunks, total);
  return { ok: true, text: bytes.toString('utf8'), bytes };
}
