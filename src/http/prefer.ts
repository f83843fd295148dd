/**
 * The `Prefer: return=minimal | return=representation` preference (RFC 7240 §4.2).
 * Unknown preferences are ignored, as §2 requires.
 */
export type ReturnPreference = 'minimal' | 'representation';

/** The `return` preference a Prefer field value asks for, or undefined when it asks for none. */
export function parseReturnPreference(prefer: string | undefined): ReturnPreference | undefined {
  if (prefer === undefined) return undefined;
  for (const part of prefer.split(',')) {
    const [token] = part.split(';');
    const [name, value] = (token ?? '').split('=').map((s) => s.trim().toLowerCase().replace(/^"|"$/g, ''));
    if (name === 'return' && (value === 'minimal' || value === 'representation')) return value;
  }
  return undefined;
}
