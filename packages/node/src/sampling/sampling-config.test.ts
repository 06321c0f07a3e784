import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SightlineOptions } from '../config/options.js';
import { resolveConfig } from '../config/resolve.js';
import { SightlineError } from '../errors.js';
import { init } from '../lifecycle/init.js';
import { createSampler } from '../trace/create-sampler.js';
import { AdaptiveSampler } from './adaptive-sampler.js';
import { ErrorBiasedSampler } from './error-biased-sampler.js';
import { RulesSampler } from './rules-sampler.js';

function fromEnv(env: Record<string, string>, options?: SightlineOptions) {
  const warnings: string[] = [];
  const config = resolveConfig({ env, options, warn: (m) => warnings.push(m) });
  return { config, warnings };
}

const fails = (options: SightlineOptions, message: RegExp) =>
  assert.throws(
    () => init({ ...options, shutdown: { handleSignals: false } }),
    (e: unknown) =>
      e instanceof SightlineError &&
      e.code === 'SIGHTLINE_ERR_INVALID_OPTION' &&
      message.test(e.message),
  );

describe('sampling configuration', () => {
  it('selects the four strategies by name: always-on, ratio, error-based, adaptive', () => {
    const sampler = (env: Record<string, string>) =>
      createSampler(fromEnv(env).config.traces.sampler);
    assert.match(String(sampler({ OTEL_TRACES_SAMPLER: 'always_on' })), /AlwaysOn/);
    assert.match(
      String(sampler({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.2' })),
      /0\.2/,
    );
    assert.ok(
      sampler({ OTEL_TRACES_SAMPLER: 'sightline_error_biased' }) instanceof ErrorBiasedSampler,
    );
    const adaptive = fromEnv({
      OTEL_TRACES_SAMPLER: 'sightline_adaptive',
      OTEL_TRACES_SAMPLER_ARG: '250',
    });
    assert.deepEqual(adaptive.warnings, []);
    assert.equal(adaptive.config.traces.sampler.targetPerSecond, 250);
    assert.equal(adaptive.config.traces.sampler.ratio, 1);
    assert.ok(createSampler(adaptive.config.traces.sampler) instanceof AdaptiveSampler);
  });

  it('selects the rules sampler when rules are given without a sampler name', () => {
    const { config, warnings } = fromEnv({
      SIGHTLINE_SAMPLING_RULES: '[{"route":"/health","ratio":0}]',
      OTEL_TRACES_SAMPLER_ARG: '0.5',
    });
    assert.deepEqual(warnings, []);
    assert.equal(config.traces.sampler.name, 'sightline_rules');
    assert.equal(config.traces.sampler.ratio, 0.5);
    assert.ok(createSampler(config.traces.sampler) instanceof RulesSampler);
  });

  it('fails init naming the option for ratios outside [0, 1], negative targets, bad rules and unknown policies', () => {
    fails(
      { traces: { sampler: { ratio: 1.5 } } },
      /"traces\.sampler\.ratio" has invalid value 1\.5/,
    );
    fails({ traces: { tail: { fallbackRatio: -0.1 } } }, /"traces\.tail\.fallbackRatio"/);
    fails(
      { traces: { sampler: { targetPerSecond: -5 } } },
      /"traces\.sampler\.targetPerSecond" has invalid value -5/,
    );
    fails(
      { traces: { sampler: { rules: [{ ratio: 0.5 }, { kind: 'sever' as 'server' }] } } },
      /"traces\.sampler\.rules".*\[1\]\.kind: expected one of/,
    );
    fails(
      { traces: { tail: { policies: ['error', 'slow' as 'error'] } } },
      /"traces\.tail\.policies".*\[1\]: unknown policy name "slow"/,
    );
    fails(
      { traces: { tail: { policies: [{ type: 'probabilistic', ratio: 3 }] } } },
      /"traces\.tail\.policies".*\[0\]\.ratio/,
    );
  });

  it('warns naming the variable and falls back for the same mistakes in the environment', () => {
    const cases: Array<
      [Record<string, string>, RegExp, (c: ReturnType<typeof fromEnv>['config']) => void]
    > = [
      [
        { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '5' },
        /OTEL_TRACES_SAMPLER_ARG.*from 0 to 1/,
        (c) => assert.equal(c.traces.sampler.ratio, 1),
      ],
      [
        { OTEL_TRACES_SAMPLER: 'sightline_adaptive', OTEL_TRACES_SAMPLER_ARG: '-5' },
        /OTEL_TRACES_SAMPLER_ARG/,
        (c) => assert.equal(c.traces.sampler.targetPerSecond, 100),
      ],
      [
        { SIGHTLINE_SAMPLING_RULES: '[{"name": "x",' },
        /SIGHTLINE_SAMPLING_RULES.*malformed JSON/,
        (c) => assert.equal(c.traces.sampler.name, 'parentbased_always_on'),
      ],
      [
        { SIGHTLINE_SAMPLING_RULES: '[{"nme": "x"}]' },
        /SIGHTLINE_SAMPLING_RULES.*\[0\]\.nme: unknown field/,
        (c) => assert.deepEqual(c.traces.sampler.rules, []),
      ],
      [
        { SIGHTLINE_TAIL_POLICIES: 'error,slow' },
        /SIGHTLINE_TAIL_POLICIES.*\[1\]: unknown policy name "slow"/,
        (c) =>
          assert.deepEqual(c.traces.tail.policies, [
            'error',
            'latency',
            'upstream',
            'probabilistic',
          ]),
      ],
      [
        { SIGHTLINE_TAIL_POLICIES: '[{"type":"latency","thresholdMillis":-1}]' },
        /SIGHTLINE_TAIL_POLICIES.*\[0\]\.thresholdMillis/,
        (c) => assert.equal(c.traces.tail.policies.length, 4),
      ],
      [
        { SIGHTLINE_TAIL_FALLBACK_RATIO: '1.01' },
        /SIGHTLINE_TAIL_FALLBACK_RATIO/,
        (c) => assert.equal(c.traces.tail.fallbackRatio, 0.1),
      ],
    ];
    for (const [env, warning, check] of cases) {
      const { config, warnings } = fromEnv(env);
      assert.equal(warnings.length, 1, `${JSON.stringify(env)}: ${warnings.join(' | ')}`);
      assert.match(warnings[0] as string, warning);
      check(config);
    }
  });

  it('reads tail policies as JSON objects from the environment', () => {
    const { config, warnings } = fromEnv({
      SIGHTLINE_TAIL_SAMPLING: 'true',
      SIGHTLINE_TAIL_POLICIES:
        '["error", {"type":"latency","scope":"any","overrides":[{"route":"/reports/*","thresholdMillis":5000}]}]',
    });
    assert.deepEqual(warnings, []);
    assert.equal(config.traces.tail.enabled, true);
    assert.deepEqual(config.traces.tail.policies[1], {
      type: 'latency',
      scope: 'any',
      overrides: [{ route: '/reports/*', thresholdMillis: 5000 }],
    });
  });
});
