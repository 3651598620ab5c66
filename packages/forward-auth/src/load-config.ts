// Read a configuration file (YAML, JSON, or an API Management policy XML) into settings the
// service runs with. YAML is parsed with the `yaml` package (eemeli/yaml: YAML 1.2, no
// dependencies, unique keys enforced, alias expansion capped); JSON with JSON.parse. Named values
// ({{name}}) in any string come from the environment. Every mistake is collected and thrown
// together as a ForwardAuthConfigError, before the service starts or a reload is applied.
import { createEntraVerifier } from '@entra-verify/core';
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { readApimPolicy } from './apim-policy.js';
import { ForwardAuthConfigError, validateConfig, type FileVerifierOptions, type ForwardAuthConfig, type IdentityField, type ProxyKind } from './config.js';
import { identityHeaderNames } from './identity-headers.js';
import type { LogLevel } from './logger.js';
import { substituteNamedValues } from './named-values.js';
import type { RequiredClaim } from './required-claims.js';
import { compileRoutes, type CompiledRoute } from './routes.js';

/** A configuration ready to run: validated, policy applied, routes compiled. */
export interface ForwardAuthSettings {
  /** Where it came from (a file path, or a label), for logs and errors. */
  source: string;
  /** Options for createEntraVerifier (fetch and onEvent are added by the service). */
  verifier: FileVerifierOptions;
  /** Which proxy's headers describe the original request. */
  proxy: ProxyKind;
  /** Envoy's path prefix. */
  envoyPathPrefix: string;
  /** `realm` for challenges. */
  realm: string | undefined;
  /** Identity header names, in order. */
  identityHeaders: Array<[IdentityField, string]>;
  /** Where the token is read from (default: `Authorization: Bearer`). */
  token: {
    /** A header holding the raw token. */
    header?: string;
    /** A query parameter of the original URI holding the token. */
    queryParameter?: string;
  };
  /** Status and message for refused tokens (API Management's failed-validation-*), if set. */
  failure:
    | {
        /** Status for refused tokens. */
        status?: number;
        /** `error_description` of the body. */
        message?: string;
      }
    | undefined;
  /** Required claims of an API Management policy: checked on every request that needs a token, refused as 401. */
  policyRequiredClaims: RequiredClaim[];
  /** Routes and the default route. */
  routes: {
    /** The configured routes, in order. */
    routes: CompiledRoute[];
    /** What applies when none matches. */
    fallback: CompiledRoute;
  };
  /** Where to listen. */
  listen: {
    /** Interface address. */
    host: string;
    /** TCP port. */
    port: number;
  };
  /** Log level. */
  logLevel: LogLevel;
  /** Grace period on SIGTERM, in seconds. */
  shutdownGraceSeconds: number;
}

/** Where named values and tenant metadata come from. */
export interface LoadConfigOptions {
  /** Named values. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** For resolving tenant domain names in a policy. Default `globalThis.fetch`. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

/** Every string in a parsed document with its named values substituted. */
function substituteAll(value: unknown, env: Readonly<Record<string, string | undefined>>, problem: (message: string) => void, path = ''): unknown {
  if (typeof value === 'string') return substituteNamedValues(value, env, (name, tried) => problem(`${path || 'value'}: named value {{${name}}} is not set; set the environment variable ${tried.join(' or ')}`));
  if (Array.isArray(value)) return value.map((item, i) => substituteAll(item, env, problem, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteAll(item, env, problem, path ? `${path}.${key}` : key)]));
  }
  return value;
}

function parseDocument(text: string, source: string): unknown {
  const kind = extname(source).toLowerCase();
  try {
    if (kind === '.json') return JSON.parse(text);
    return parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof YAMLParseError) throw new ForwardAuthConfigError(source, [`not valid YAML: ${error.message.split('\n')[0]}`]);
    throw new ForwardAuthConfigError(source, [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/**
 * Settings from a parsed configuration object (`baseDir` resolves `apimPolicy`). Use
 * {@link loadConfig} for a file; this is the same for configurations built in code.
 */
export async function resolveConfig(document: unknown, source: string, baseDir: string, options: LoadConfigOptions = {}): Promise<ForwardAuthSettings> {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const substituted = substituteAll(document, env, (message) => problems.push(message));
  if (problems.length > 0) throw new ForwardAuthConfigError(source, problems);
  const config: ForwardAuthConfig = validateConfig(substituted, source);

  let verifier: FileVerifierOptions = config.verifier ?? { tenant: '' };
  let token = config.token ?? {};
  let failure = config.failure;
  let policyRequiredClaims: RequiredClaim[] = [];
  if (config.apimPolicy !== undefined) {
    const policyPath = resolve(baseDir, config.apimPolicy);
    const xml = await readFile(policyPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      problems.push(`apimPolicy: cannot read ${policyPath} (${error.code ?? error.message})`);
      return undefined;
    });
    const policy = xml === undefined ? undefined : await readApimPolicy(xml, { env, fetch: options.fetch ?? fetch, ...(config.verifier ? { outer: config.verifier } : {}) }, (message) => problems.push(`apimPolicy ${config.apimPolicy}: ${message}`));
    if (policy) {
      const outer = (config.verifier ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(policy.verifier)) if (key in outer) problems.push(`verifier.${key}: also set by the policy ${config.apimPolicy}; set it in one place`);
      verifier = { ...policy.verifier, ...config.verifier } as FileVerifierOptions;
      if (policy.token && config.token) problems.push('token: also set by the policy (header-name / query-parameter-name); set it in one place');
      if (config.failure) problems.push('failure: also set by the policy (failed-validation-httpcode / -error-message); set it in one place');
      token = policy.token ?? token;
      failure = policy.failure;
      policyRequiredClaims = policy.requiredClaims;
    }
  }
  if (problems.length === 0) {
    // core checks the verifier options in depth; a verifier made and closed at once fetches nothing.
    try {
      createEntraVerifier({ ...verifier, fetch: () => Promise.reject(new Error('not used')) }).close();
    } catch (error) {
      problems.push(`verifier: ${error instanceof Error ? error.message.replace(/^entra-verify: /, '') : String(error)}`);
    }
  }
  if (problems.length > 0) throw new ForwardAuthConfigError(source, problems);
  return {
    source,
    verifier,
    proxy: config.proxy ?? 'auto',
    envoyPathPrefix: config.envoyPathPrefix ?? '/envoy',
    realm: config.realm,
    identityHeaders: identityHeaderNames(config.identityHeaders),
    token,
    failure,
    policyRequiredClaims,
    routes: compileRoutes(config.routes, config.defaultRoute),
    listen: { host: config.listen?.host ?? '0.0.0.0', port: config.listen?.port ?? 8080 },
    logLevel: config.logLevel ?? 'info',
    shutdownGraceSeconds: config.shutdownGraceSeconds ?? 10,
  };
}

/**
 * Load a configuration file: `.yaml` / `.yml` / `.json`, or an API Management policy (`.xml`)
 * standing alone. Throws {@link ForwardAuthConfigError} with every mistake.
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<ForwardAuthSettings> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ForwardAuthConfigError(path, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  if (extname(absolute).toLowerCase() === '.xml') return resolveConfig({ apimPolicy: absolute }, path, dirname(absolute), options);
  return resolveConfig(parseDocument(text, absolute), path, dirname(absolute), options);
}
