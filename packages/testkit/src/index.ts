// Test certificates live in their own package so that the broker's and the client's tests can use
// them too (they cannot depend on testkit, which depends on the broker).
export { createTestCertificates, KEY_PASSWORD, PKCS12_PASSWORD, type TestCertificates } from '@samsa/test-pki';
export { BROKER_MAIN, BrokerProcess, type BrokerProcessOptions } from './broker-process.js';
export { type ClusterOptions, KafkaCluster } from './cluster.js';
export { freePort } from './free-port.js';
export { type RunResult, run } from './run.js';
export { Tmpfs } from './tmpfs.js';
export { DEBIAN_PYTHON, requireCommand, requirePythonModule } from './tools.js';
export { ZooKeeperProcess } from './zookeeper-process.js';
