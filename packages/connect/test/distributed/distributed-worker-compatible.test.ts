import { clusterTests } from './support/cluster-tests.js';

// connect.protocol=compatible (KIP-415): work moves by revocation and reassignment only.
clusterTests('compatible');
