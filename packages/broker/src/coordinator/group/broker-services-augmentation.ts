import type { GroupCoordinator } from './group-coordinator.js';

/** Where clients reach a broker on one listener (what Metadata and FindCoordinator advertise). */
export interface AdvertisedEndpoint {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/*
 * What the group coordinator's handlers need from `BrokerServices`, declared here until the broker
 * adds these members to `BrokerServices` itself; this file should then be deleted. (Declaration
 * merging accepts the identical declarations meanwhile.)
 */
declare module '../../broker-services.js' {
  interface BrokerServices {
    readonly groupCoordinator: GroupCoordinator;
    /** This broker's advertised endpoint on `listenerName` (the listener a request arrived on). */
    advertisedEndpoint(listenerName: string): AdvertisedEndpoint;
  }
}
