/** The version this worker and its bundled connectors report (Samsa's, one for all packages). */
export const CONNECT_VERSION = '0.1.0';
