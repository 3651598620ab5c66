// API Management named values (`{{aad-tenant-id}}`) taken from environment variables, so a policy
// document is used exactly as written in APIM. Named values are letters, digits, ".", "-" and "_"
// (https://learn.microsoft.com/azure/api-management/api-management-howto-properties); shells
// cannot name "aad-tenant-id", so AAD_TENANT_ID (upper case, other characters as "_") works too.

const PLACEHOLDER = /\{\{([A-Za-z0-9._-]{1,256})\}\}/g;

/** The environment variable names tried for a named value, in order. */
export function namedValueVariables(name: string): string[] {
  const shell = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return shell === name ? [name] : [name, shell];
}

/**
 * `text` with every `{{name}}` replaced by its environment variable. Unknown names are reported
 * through `missing` (once each) and left in place, so every mistake is reported at once.
 */
export function substituteNamedValues(text: string, env: Readonly<Record<string, string | undefined>>, missing: (name: string, tried: string[]) => void): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const tried = namedValueVariables(name);
    for (const variable of tried) {
      const value = env[variable];
      if (value !== undefined) return value;
    }
    missing(name, tried);
    return placeholder;
  });
}
