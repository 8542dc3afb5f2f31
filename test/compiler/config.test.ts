// Resolution of the model's settings sections and of the parameter list.
import { strict as assert } from 'assert';
import { analyzeModel } from '../../src/analysis/analyze';
import { resolveTrainingConfig } from '../../src/compiler/config';
import { paramTensors, stateTensors } from '../../src/compiler/params';
import { CompileError } from '../../src/compiler/errors';
import { compileModel } from '../../src/compiler/compile';

const LAYERS = `
layers:
  - {id: x, type: Input, shape: [4]}
  - {id: h, type: Dense, units: 8}
  - {id: r, type: ReLU}
  - {id: g, type: Dense, units: 8, activation: tanh}
  - {id: out, type: Dense, units: 3}
`;

function resolve(extra: string) {
  const a = analyzeModel(LAYERS + extra);
  return { config: () => resolveTrainingConfig(a.model!, a.summary!), summary: a.summary! };
}

describe('compiler settings resolution', () => {
  it('defaults to cross-entropy on the first output with accuracy, Adam and a constant lr', () => {
    const c = resolve('').config();
    assert.deepEqual(c.loss, { type: 'cross_entropy', labelSmoothing: 0, delta: 1, output: 'out' });
    assert.deepEqual(c.metrics, ['accuracy']);
    assert.equal(c.optimizer.type, 'adam');
    assert.equal(c.optimizer.lr, 0.001);
    assert.equal(c.optimizer.clipNorm, 0);
    assert.equal(c.schedule.type, 'constant');
  });

  it('reads written options and takes the rest from the section metadata', () => {
    const c = resolve('loss: {type: huber, delta: 0.3}\noptimizer: {type: rmsprop, lr: 0.01, clip_norm: 2}\nschedule: {type: cosine, warmup_epochs: 1, min_lr: 0.0001}\nmetrics: [mae, mse]\n').config();
    assert.deepEqual(c.loss, { type: 'huber', labelSmoothing: 0, delta: 0.3, output: 'out' });
    assert.deepEqual(c.metrics, ['mae', 'mse']);
    assert.deepEqual([c.optimizer.type, c.optimizer.lr, c.optimizer.beta2, c.optimizer.clipNorm], ['rmsprop', 0.01, 0.9, 2]);
    assert.deepEqual([c.schedule.type, c.schedule.warmupEpochs, c.schedule.minLr], ['cosine', 1, 0.0001]);
    assert.deepEqual(resolve('loss: mse\n').config().metrics, ['mae'], 'regression losses default to mae');
    assert.equal(resolve('optimizer: adamw\n').config().optimizer.weightDecay, 0.01, 'adamw default decay');
  });

  it('rejects unknown names and a loss on a non-output layer with a CompileError', () => {
    assert.throws(() => resolve('optimizer: adagrad\n').config(), (e: unknown) => e instanceof CompileError && /adagrad/.test(e.message));
    assert.throws(() => resolve('loss: {type: mse, output: h}\n').config(), (e: unknown) => e instanceof CompileError && /'h'/.test(e.message));
    assert.throws(() => resolve('metrics: [f1]\n').config(), (e: unknown) => e instanceof CompileError && /f1/.test(e.message));
  });

  it('names params <layer>.<param>, gives He init to a linear layer feeding a ReLU, and one state tensor per slot', () => {
    const { summary } = resolve('');
    const params = paramTensors(summary);
    assert.deepEqual(params.map((p) => p.name), ['h.weight', 'h.bias', 'g.weight', 'g.bias', 'out.weight', 'out.bias']);
    assert.equal(params[0].init, 'he_normal', 'h feeds a ReLU layer');
    assert.equal(params[2].init, 'glorot_uniform', 'g uses tanh');
    assert.equal(params[4].init, 'glorot_uniform', 'out is linear and feeds nothing');
    const state = stateTensors(params, { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 0 });
    assert.deepEqual(state.map((s) => s.name), params.map((p) => `opt.${p.name}.momentum`));
    assert.deepEqual(state[0].shape, [4, 8]);
  });
});

describe('compiler errors on malformed models', () => {
  it('a layer without inputs is a CompileError naming it, not a crash', () => {
    const a = analyzeModel('layers:\n  - {id: d, type: Dense, units: 2}\n');
    assert.throws(() => compileModel(a.summary!, a.model!), (e: unknown) => e instanceof CompileError && e.layer === 'd');
  });
});
