import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TalliedCounter } from './tallied-counter.js';

describe('TalliedCounter', () => {
  const make = () => {
    const registry = new Registry();
    const counter = new TalliedCounter({ name: 'test_settled_total', help: 'Settled.', labelName: 'status', registers: [registry] });
    return { registry, counter };
  };

  it('shows every increment made before a scrape, by label value', async () => {
    const { registry, counter } = make();
    counter.inc('success');
    counter.inc('failed');
    counter.inc('success');
    const text = await registry.metrics();
    expect(text).toContain('test_settled_total{status="success"} 2');
    expect(text).toContain('test_settled_total{status="failed"} 1');
  });

  it('counts increments between scrapes once: a second scrape adds only what came after the first', async () => {
    const { registry, counter } = make();
    counter.inc('success');
    await registry.metrics();
    expect(await registry.metrics()).toContain('test_settled_total{status="success"} 1');
    counter.inc('success');
    counter.inc('success');
    expect(await registry.metrics()).toContain('test_settled_total{status="success"} 3');
  });

  it('is a counter in the exposition, with its help', async () => {
    const { registry } = make();
    const text = await registry.metrics();
    expect(text).toContain('# HELP test_settled_total Settled.');
    expect(text).toContain('# TYPE test_settled_total counter');
  });
});
