// Learning-rate schedules: values at chosen steps worked out by hand.
import { strict as assert } from 'assert';
import { learningRate } from '../../src/compiler/schedule';
import type { OptimizerConfig, ScheduleConfig } from '../../src/compiler/types';

const opt: OptimizerConfig = { type: 'adam', lr: 0.1, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 0 };
const sched = (over: Partial<ScheduleConfig>): ScheduleConfig => ({ type: 'constant', warmupEpochs: 0, stepSize: 10, gamma: 0.1, minLr: 0, ...over });
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

describe('compiler learning-rate schedules', () => {
  it('constant stays at lr', () => {
    for (const step of [0, 5, 99]) near(learningRate(sched({}), opt, step, 10, 10), 0.1, `step ${step}`);
  });

  it('linear warm-up ramps to lr over warmup_epochs, then the schedule takes over', () => {
    const s = sched({ warmupEpochs: 2 });
    near(learningRate(s, opt, 0, 10, 10), 0.1 / 20, 'step 0');
    near(learningRate(s, opt, 9, 10, 10), 0.05, 'step 9');
    near(learningRate(s, opt, 19, 10, 10), 0.1, 'last warm-up step');
    near(learningRate(s, opt, 20, 10, 10), 0.1, 'after warm-up');
  });

  it('step decays by gamma every step_size epochs, floored at min_lr', () => {
    const s = sched({ type: 'step', stepSize: 3, gamma: 0.5, minLr: 0.02 });
    near(learningRate(s, opt, 0, 4, 20), 0.1, 'epoch 0');
    near(learningRate(s, opt, 11, 4, 20), 0.1, 'epoch 2 (last step)');
    near(learningRate(s, opt, 12, 4, 20), 0.05, 'epoch 3');
    near(learningRate(s, opt, 24, 4, 20), 0.025, 'epoch 6');
    near(learningRate(s, opt, 36, 4, 20), 0.02, 'epoch 9: 0.0125 floored at min_lr');
  });

  it('cosine goes from lr to min_lr, half-way at the middle, and never reaches min_lr on a planned step', () => {
    const s = sched({ type: 'cosine', minLr: 0.01 });
    near(learningRate(s, opt, 0, 10, 10), 0.1, 'start');
    near(learningRate(s, opt, 50, 10, 10), 0.055, 'middle');
    const last = learningRate(s, opt, 99, 10, 10);
    assert.ok(last > 0.01 && last < 0.0101, `last step ${last} just above min_lr`);
    near(learningRate(s, opt, 150, 10, 10), 0.01, 'beyond the plan');
  });

  it('cosine after warm-up starts its decay where the warm-up ends', () => {
    const s = sched({ type: 'cosine', warmupEpochs: 1 });
    near(learningRate(s, opt, 10, 10, 11), 0.1, 'first decay step');
    near(learningRate(s, opt, 60, 10, 11), 0.05, 'middle of the decay');
  });

  it('linear decays in equal steps to min_lr', () => {
    const s = sched({ type: 'linear', minLr: 0 });
    near(learningRate(s, opt, 0, 5, 2), 0.1, 'step 0');
    near(learningRate(s, opt, 5, 5, 2), 0.05, 'step 5 of 10');
    near(learningRate(s, opt, 9, 5, 2), 0.01, 'step 9 of 10');
  });
});
