import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatBytes,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRate,
  formatValue,
  formatWithUnit,
  humanKey,
  severityName,
  spanKindName,
} from './format.js';

describe('formatting', () => {
  it('formats durations with a fitting unit', () => {
    assert.equal(formatDuration(0.25), '250 µs');
    assert.equal(formatDuration(12.345), '12.3 ms');
    assert.equal(formatDuration(1532), '1.53 s');
    assert.equal(formatDuration(null), '–');
    assert.equal(formatDuration(0), '0 ms');
  });
  it('formats bytes, counts and percentages', () => {
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3 GiB');
    assert.equal(formatNumber(12345), '12.3k');
    assert.equal(formatNumber(42), '42');
    assert.equal(formatPercent(0.0125), '1.25%');
  });
  it('formats values in UCUM units', () => {
    assert.equal(formatWithUnit(0.012, 's'), '12 ms');
    assert.equal(formatWithUnit(2048, 'By'), '2 KiB');
    assert.equal(formatWithUnit(5, '{request}'), '5');
  });
  it('turns any attribute value into one line of text', () => {
    assert.equal(formatValue('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
    assert.equal(formatValue({ bytes: 'AAE=' }), 'bytes AAE=');
    assert.equal(formatValue([1, 'a']), '[1,"a"]');
    assert.equal(formatValue(true), 'true');
    assert.equal(formatValue(null), '');
  });
  it('names span kinds and severities', () => {
    assert.equal(spanKindName(2), 'server');
    assert.equal(severityName(17), 'ERROR');
    assert.equal(severityName(9, 'notice'), 'notice');
    assert.equal(severityName(0), 'UNSET');
  });
});

describe('rates and per-time units', () => {
  it('formats slow rates per minute or hour', () => {
    assert.equal(formatRate(3.1), '3.1/s');
    assert.equal(formatRate(0.05), '3/min');
    assert.equal(formatRate(0.000623), '2.24/h');
    assert.equal(formatRate(0), '0/s');
  });
  it('formats bytes per hour', () => {
    assert.equal(formatWithUnit(180 * 1024 * 1024, 'By/h'), '180 MiB/h');
  });
});

describe('field names', () => {
  it('turns camelCase API fields into words', () => {
    assert.equal(humanKey('maxRequestBytes'), 'max request bytes');
    assert.equal(humanKey('lastEvictionMs'), 'last eviction');
    assert.equal(humanKey('spans'), 'spans');
  });
});
