import { z } from 'zod';

/** The allowed values of one numeric setting. */
export interface NumberRange {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** What the number counts, e.g. "messages per second". */
  unit: string;
}

/** "a whole number from 1 to 50 (connections)", for messages. */
export function describeRange(range: NumberRange): string {
  return `${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max} (${range.unit})`;
}

/**
 * A zod number within `range`, every refusal saying what is allowed.
 *
 * @param range The bounds.
 */
export function rangedNumber(range: NumberRange) {
  const message = `expected ${describeRange(range)}`;
  return z.number({ error: message }).refine((value) => inRange(value, range), message);
}

/** Whether `value` is allowed by `range`. */
function inRange(value: number, range: NumberRange): boolean {
  return Number.isFinite(value) && value >= range.min && value <= range.max && (!range.integer || Number.isSafeInteger(value));
}

/**
 * A number from a command-line flag within `range`, or an error naming the
 * flag and the allowed values (undefined when the flag was not given).
 *
 * @param value The flag's text.
 * @param flag  The flag, e.g. `--rate`.
 * @param range The bounds.
 */
export function parseRangedFlag(value: string | undefined, flag: string, range: NumberRange): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!inRange(number, range)) {
    throw new Error(`${flag} expects ${describeRange(range)}, got "${value}"`);
  }
  return number;
}
