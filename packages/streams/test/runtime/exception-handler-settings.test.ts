import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DefaultProductionExceptionHandler,
  isHandledSendError,
  productionExceptionHandlerOf,
} from '../../src/errors/production-exception-handler.js';
import {
  StreamThreadExceptionResponse,
  uncaughtExceptionResponse,
} from '../../src/runtime/stream-thread-exception-handler.js';
import { ConfigException, StreamsConfig } from '../../src/streams-config.js';

test('default.production.exception.handler: Java class names, the default, an unknown class', () => {
  assert.ok(
    productionExceptionHandlerOf('DefaultProductionExceptionHandler') instanceof DefaultProductionExceptionHandler,
  );
  const config = new StreamsConfig({ 'application.id': 'a' });
  assert.ok(config.defaultProductionExceptionHandler instanceof DefaultProductionExceptionHandler);
  assert.throws(
    () => new StreamsConfig({ 'application.id': 'a', 'default.production.exception.handler': 'com.example.Nope' }),
    (e: unknown) => e instanceof ConfigException && /default\.production\.exception\.handler/.test(e.message),
  );
});

test('errors no record causes bypass the production handler, as in Java', () => {
  const kafkaError = (errorName: string) => Object.assign(new Error(errorName), { errorName });
  assert.equal(isHandledSendError(kafkaError('MESSAGE_TOO_LARGE')), true);
  assert.equal(isHandledSendError(new Error('larger than max.request.size')), true);
  assert.equal(isHandledSendError(kafkaError('TOPIC_AUTHORIZATION_FAILED')), false);
  assert.equal(isHandledSendError(kafkaError('PRODUCER_FENCED')), false);
});

test('the uncaught exception handler: its answer, or SHUTDOWN_CLIENT', () => {
  const error = new Error('boom');
  assert.equal(uncaughtExceptionResponse(undefined, error), StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  assert.equal(
    uncaughtExceptionResponse(() => {}, error),
    StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
  );
  assert.equal(
    uncaughtExceptionResponse(() => StreamThreadExceptionResponse.REPLACE_THREAD, error),
    StreamThreadExceptionResponse.REPLACE_THREAD,
  );
  const throwing = () => {
    throw new Error('handler bug');
  };
  assert.equal(uncaughtExceptionResponse(throwing, error), StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
});
