export { BROKER_MAIN, BrokerProcess, type BrokerProcessOptions } from './broker-process.js';
export { type RunResult, run } from './run.js';
export { DEBIAN_PYTHON, requireCommand, requirePythonModule } from './tools.js';
