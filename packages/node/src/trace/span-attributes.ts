import { type Attributes, type AttributeValue, diag } from '@opentelemetry/api';
import {
  AddAttributeDecision,
  cleanAttributes,
  isAnyValue,
  maybeAddAttribute,
} from '@opentelemetry/core';

/** The attribute limits a span applies; `attributeValueLengthLimit` is positive or Infinity. */
export interface AttributeLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
}

/** A span's attributes with the bookkeeping its limits need. */
export interface AttributeSet {
  attributes: Attributes;
  count: number;
  dropped: number;
}

/**
 * Adds one attribute under `limits`, with the SDK's rules (`maybeAddAttribute` in
 * `@opentelemetry/core`): `undefined` is ignored, an empty key or an invalid value is dropped with a
 * warning, a new key past the count limit is dropped and counted, strings are truncated to the
 * length limit. Strings, numbers and booleans take a path that allocates nothing; other values
 * (arrays, byte arrays, maps) go through core's validation and deep copy.
 */
export function addAttribute(
  set: AttributeSet,
  key: string,
  value: unknown,
  limits: AttributeLimits,
): void {
  if (value === undefined) return;
  const type = typeof value;
  if (key.length === 0 || (type !== 'string' && type !== 'number' && type !== 'boolean')) {
    addComplexAttribute(set, key, value, limits);
    return;
  }
  const attributes = set.attributes;
  const isNew = !Object.hasOwn(attributes, key);
  if (isNew && set.count >= limits.attributeCountLimit) {
    set.dropped++;
    if (set.dropped === 1) diag.warn('Dropping extra attributes.');
    return;
  }
  attributes[key] =
    type === 'string' && (value as string).length > limits.attributeValueLengthLimit
      ? (value as string).substring(0, limits.attributeValueLengthLimit)
      : (value as AttributeValue);
  if (isNew) set.count++;
}

function addComplexAttribute(
  set: AttributeSet,
  key: string,
  value: unknown,
  limits: AttributeLimits,
): void {
  const decision = maybeAddAttribute({
    key,
    value: value as AttributeValue,
    attributes: set.attributes,
    limits,
    currentAttributesCount: set.count,
  });
  if (decision === AddAttributeDecision.DROP_LIMIT_REACHED) {
    set.dropped++;
    if (set.dropped === 1) diag.warn('Dropping extra attributes.');
  } else if (decision === AddAttributeDecision.ADD_NEW) {
    set.count++;
  }
}

const NO_LIMITS: AttributeLimits = {
  attributeCountLimit: Number.POSITIVE_INFINITY,
  attributeValueLengthLimit: Number.POSITIVE_INFINITY,
};

/**
 * A validated copy of the attributes a span starts with, before limits (the sampler sees them
 * all, as in the SDK). Invalid values are dropped with a warning and counted.
 */
export function copyStartAttributes(input: Attributes | undefined): AttributeSet {
  const set: AttributeSet = { attributes: {}, count: 0, dropped: 0 };
  if (typeof input !== 'object' || input === null) return set;
  const attributes = set.attributes;
  for (const key in input) {
    if (!Object.hasOwn(input, key)) continue;
    const value = input[key];
    const type = typeof value;
    if ((type === 'string' || type === 'number' || type === 'boolean') && key.length > 0) {
      // A fresh object and distinct keys: nothing to look up.
      attributes[key] = value as AttributeValue;
      set.count++;
    } else if (value !== undefined) {
      addComplexAttribute(set, key, value, NO_LIMITS);
      if (!Object.hasOwn(attributes, key)) set.dropped++;
    }
  }
  return set;
}

/** A start set that keeps `owned` itself (see `OWNED_ATTRIBUTES`): only its keys are counted. */
export function adoptStartAttributes(owned: Attributes | undefined): AttributeSet {
  const attributes = owned ?? {};
  let count = 0;
  for (const _key in attributes) count++;
  return { attributes, count, dropped: 0 };
}

/**
 * Merges a sampler's attributes into a start set, as the SDK's `Object.assign` and second
 * `cleanAttributes` do: a key set to `undefined` is removed, one set to an invalid value is removed
 * and counted as dropped (with a warning), a valid value is added or replaces the old one.
 */
export function mergeSamplerAttributes(set: AttributeSet, input: Attributes): void {
  for (const key of Object.keys(input)) {
    const value = input[key];
    const had = Object.hasOwn(set.attributes, key);
    if (value !== undefined && isValidAttribute(key, value)) {
      // Replaced in place (the key keeps its position, as with Object.assign) or added.
      addAttribute(set, key, value, NO_LIMITS);
      continue;
    }
    if (had) {
      delete set.attributes[key];
      set.count--;
    }
    if (value !== undefined) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      set.dropped++;
    }
  }
}

function isValidAttribute(key: string, value: unknown): boolean {
  if (key.length === 0) return false;
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || isAnyValue(value);
}

/**
 * Applies `limits` to a start set in place (it is the span's own copy): past the count limit the
 * first keys in insertion order are kept, as the SDK's second `cleanAttributes` does.
 */
export function limitStartAttributes(set: AttributeSet, limits: AttributeLimits): void {
  if (set.count <= limits.attributeCountLimit && limits.attributeValueLengthLimit === Infinity) {
    return;
  }
  const cleaned = cleanAttributes(set.attributes, limits);
  set.attributes = cleaned.attributes ?? {};
  set.dropped += cleaned.droppedAttributesCount ?? 0;
  set.count = Object.keys(set.attributes).length;
}
