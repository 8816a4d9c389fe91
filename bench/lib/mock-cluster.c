/*
 * librdkafka's mock cluster as a stand-alone process, for scenarios that need the C peer broker
 * outside the client process (consume, end-to-end latency, many partitions).
 *
 *   mock-cluster [topic:partitions ...]
 *
 * Creates a one-broker mock cluster on 127.0.0.1, creates the topics given, prints the bootstrap
 * address on one line, and runs until stdin closes or SIGTERM/SIGINT arrives.
 * Built by bench/lib/tools.mjs against Debian's librdkafka-dev.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t run = 1;
static void stop(int sig) { (void)sig; run = 0; }

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 1;
        }
        rd_kafka_mock_cluster_t *mcluster = rd_kafka_mock_cluster_new(rk, 1);
        if (!mcluster) {
                fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
                return 1;
        }
        for (int i = 1; i < argc; i++) {
                char *topic = strdup(argv[i]);
                char *colon = strrchr(topic, ':');
                int partitions = 1;
                if (colon) {
                        *colon = '\0';
                        partitions = atoi(colon + 1);
                }
                rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mcluster, topic, partitions, 1);
                if (err) {
                        fprintf(stderr, "topic %s: %s\n", topic, rd_kafka_err2str(err));
                        return 1;
                }
                free(topic);
        }
        signal(SIGTERM, stop);
        signal(SIGINT, stop);
        printf("%s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
        fflush(stdout);
        char buf[64];
        while (run && read(0, buf, sizeof(buf)) > 0)
                ;
        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
