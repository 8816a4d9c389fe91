import { clusterTests } from './support/cluster-tests.js';

// connect.protocol=eager: every rebalance stops and restarts all the cluster's work.
clusterTests('eager');
