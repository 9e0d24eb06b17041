/**
 * The corpus format: policy files plus one JSON sidecar per case (`*.case.json`).
 *
 * The same cases feed the unit tests, the property tests, `certify` and the docs, so this format
 * is independent of any test runner. See corpus/README.md for the prose version.
 *
 * @module
 */
import type { ClientConfig, ClientProfile, ProfileName } from '../decision/types.js';
import type { WorldResponse } from '../world/world.js';

/** A world entry in a sidecar: a `WorldResponse` whose body may come from a file beside it. */
export interface CorpusWorldEntry extends Omit<WorldResponse, 'body'> {
  body?: string;
  /** File (relative to the sidecar) whose UTF-8 text is the body. */
  bodyFile?: string;
  /** Append one NUL byte to the body (a socket server's terminator). */
  appendNul?: boolean;
}

/** One request of a case, with the verdict each client must reach. */
export interface CorpusRequest {
  origin: string;
  target: string;
  loadPolicy?: string[];
  headers?: string[];
  method?: string;
  /** The client configuration the request is decided under (spec/client-config.md); none when absent. */
  clientConfig?: ClientConfig;
  /** Expected verdict per client profile; a client not named is not checked. */
  expect: Partial<Record<ClientProfile, 'allow' | 'deny'>>;
  /** Requirements this request exercises. */
  requirements?: string[];
  note?: string;
}

/** What parsing the case's policy file must give. */
export interface CorpusParseExpectation {
  /** Which format's parser to run. */
  format: 'flash' | 'silverlight';
  /** For Flash: how the file is served. */
  kind?: 'url' | 'socket';
  scheme?: 'http' | 'https' | 'ftp';
  master?: boolean;
  /** Whether the file must be accepted (a model is produced) or rejected as a whole. */
  valid: boolean;
  /** Diagnostic codes that must be present. */
  diagnostics?: string[];
  /** Diagnostic codes that must not be present. */
  absentDiagnostics?: string[];
  /** Counts of elements the model must hold, e.g. `{ "allowAccessFrom": 2 }`. */
  counts?: Record<string, number>;
}

/**
 * How a client other than the reference decides. For a client profile (`ProfileName`) the verdict
 * is checked by `npm test` (src/corpus/expectations.ts); for a client without one yet it is a record.
 */
export interface CorpusDivergence {
  client: ProfileName | 'ruffle' | 'silverlight-ms';
  verdict: 'allow' | 'deny' | 'invalid' | 'valid';
  /**
   * The index (in `requests`) of the one request this verdict is for, when the client's verdicts
   * differ between the case's requests; absent: the verdict is the client's for the case as a whole.
   */
  request?: number;
  note: string;
}

/** Expected lint findings (see spec/lint.md). */
export interface CorpusLintExpectation {
  /** Where the file is served, as `lint --served-from` takes it. */
  servedFrom?: string;
  client?: 'flash' | 'silverlight' | 'all';
  /** The `Content-Type` the file is served with, when the case depends on it. */
  contentType?: string;
  /** Response headers the file is served with, when the case depends on them. */
  headers?: Record<string, string>;
  /** The domains the operator expects to trust, as `lint --trusted` takes them. */
  trusted?: string[];
  /** Finding IDs that must be raised. */
  must?: string[];
  /** Finding IDs that must not be raised. */
  mustNot?: string[];
}

/** A case as stored in `*.case.json`. */
export interface CorpusCaseFile {
  /** Stable ID, written out (never derived from position), e.g. `flash/domains/suffix-bare`. */
  id: string;
  title: string;
  /** `good`, `malformed`, `hostile`, `divergence`, `near-miss`, … */
  category: string;
  requirements: string[];
  /** The policy file the case is about (relative to the sidecar), if any. */
  policyFile?: string;
  parse?: CorpusParseExpectation;
  lint?: CorpusLintExpectation;
  world?: Record<string, CorpusWorldEntry>;
  requests?: CorpusRequest[];
  divergences?: CorpusDivergence[];
}

/** A case after loading: file references resolved. */
export interface CorpusCase extends CorpusCaseFile {
  /** Path of the sidecar, relative to the corpus root. */
  path: string;
  /** The policy file's text, when `policyFile` is set. */
  policyText?: string;
  /** The world with every body resolved. */
  resolvedWorld: Record<string, WorldResponse>;
}
