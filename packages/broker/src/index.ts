export { parseJavaProperties as parseProperties } from '@samsa/protocol';
export { Broker } from './broker.js';
export type { BrokerServices } from './broker-services.js';
export { BrokerConfig } from './config/broker-config.js';
export { ConfigError } from './config/config-def.js';
export { createLogger, silentLogger } from './create-logger.js';
export type { Logger } from './logger.js';
export { brokerConfigFromArgs, runBroker } from './run-broker.js';
