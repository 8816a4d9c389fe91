/*
 * Transactional produce throughput, for bench/run.mjs: rdkafka_performance has no transactions.
 * One librdkafka producer with a transactional.id: init_transactions, then
 * begin_transaction / produce N records / commit_transaction until `count` records are committed.
 * Compiled against the same librdkafka as rdkafka_performance (bench/lib/tools.mjs), with the
 * producer settings rdkafka_performance starts from (message.send.max.retries=3,
 * retry.backoff.ms=500), so that `-X` options mean the same to both.
 *
 *   txn-producer (-b host:port | -M) -t topic [-p partition] [-s size] [-c count] [-n per-txn]
 *                [-w warm-up transactions] [-L per-transaction log] [-X key=value]...
 *
 * -M runs against librdkafka's in-process mock cluster (test.mock.num.brokers=1). The clock
 * starts after init_transactions and `-w` warm-up transactions (default 1) of `-n` records each,
 * not counted: a new producer's first transaction waits on librdkafka's own start-up (the
 * coordinator query and topic metadata timers, up to a second), which says nothing about the
 * broker's cost per transaction and, spread over a short run, would dominate it. Prints one summary line, starting with "%", and one line of
 * JSON starting with "{" (records/s, bytes/s, and per-transaction timings: the produce loop, the
 * commit_transaction call, the whole transaction). -L writes one line per timed transaction:
 * its start (µs since the clock started), then the produce loop, commit_transaction and the whole
 * transaction in µs — for finding what the slow ones have in common.
 */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t delivered;
static int64_t failed;

static int64_t now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err) {
                if (failed++ < 5)
                        fprintf(stderr, "%% delivery failed: %s\n", rd_kafka_err2str(m->err));
        } else {
                delivered++;
        }
}

static void fail(const char *what, rd_kafka_error_t *error) {
        fprintf(stderr, "%% %s: %s\n", what, rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
        exit(1);
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%% %s=%s: %s\n", name, value, errstr);
                exit(2);
        }
}

static int cmp_i64(const void *a, const void *b) {
        int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
        return x < y ? -1 : x > y;
}

/* Percentile of n sorted values, in ms. */
static double pct_ms(const int64_t *v, int n, double p) {
        if (n == 0)
                return 0;
        int i = (int)((p / 100.0) * (n - 1) + 0.5);
        return v[i] / 1000.0;
}

int main(int argc, char **argv) {
        const char *topic = NULL;
        int32_t partition = RD_KAFKA_PARTITION_UA;
        size_t size = 1024;
        long count = 100000;
        long per_txn = 1000;
        long warmup = 1;
        const char *txn_log = NULL;
        int opt;
        char id[64];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();

        set(conf, "message.send.max.retries", "3");
        set(conf, "retry.backoff.ms", "500");
        snprintf(id, sizeof(id), "samsa-bench-txn-%d", (int)getpid());
        set(conf, "transactional.id", id);

        while ((opt = getopt(argc, argv, "b:Mt:p:s:c:n:w:L:X:")) != -1) {
                switch (opt) {
                case 'b':
                        set(conf, "bootstrap.servers", optarg);
                        break;
                case 'M':
                        set(conf, "test.mock.num.brokers", "1");
                        break;
                case 't':
                        topic = optarg;
                        break;
                case 'p':
                        partition = atoi(optarg);
                        break;
                case 's':
                        size = (size_t)atol(optarg);
                        break;
                case 'c':
                        count = atol(optarg);
                        break;
                case 'n':
                        per_txn = atol(optarg);
                        break;
                case 'w':
                        warmup = atol(optarg);
                        break;
                case 'L':
                        txn_log = optarg;
                        break;
                case 'X': {
                        char *eq = strchr(optarg, '=');
                        if (eq == NULL) {
                                fprintf(stderr, "%% -X %s: expected key=value\n", optarg);
                                return 2;
                        }
                        *eq = '\0';
                        set(conf, optarg, eq + 1);
                        break;
                }
                default:
                        fprintf(stderr,
                                "usage: %s (-b brokers | -M) -t topic [-p partition] [-s size] "
                                "[-c count] [-n records-per-transaction] [-w warm-up transactions] "
                                "[-L per-transaction log] [-X key=value]...\n",
                                argv[0]);
                        return 2;
                }
        }
        if (topic == NULL || count <= 0 || per_txn <= 0 || warmup < 0) {
                fprintf(stderr, "%% -t topic is required; -c and -n must be positive, -w not negative\n");
                return 2;
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);

        char errstr[512];
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (rk == NULL) {
                fprintf(stderr, "%% rd_kafka_new: %s\n", errstr);
                return 1;
        }
        rd_kafka_error_t *error = rd_kafka_init_transactions(rk, 60000);
        if (error)
                fail("init_transactions", error);

        char *payload = malloc(size);
        memset(payload, 'x', size);
        long txns = (count + per_txn - 1) / per_txn;
        int64_t *produce_us = calloc((size_t)txns, sizeof(int64_t));
        int64_t *commit_us = calloc((size_t)txns, sizeof(int64_t));
        int64_t *txn_us = calloc((size_t)txns, sizeof(int64_t));
        int64_t *begin_us = calloc((size_t)txns, sizeof(int64_t));

        int64_t start = 0;
        long sent = 0;
        for (long t = -warmup; t < txns; t++) {
                if (t == 0) {
                        start = now_us();
                        delivered = 0;
                }
                int64_t t0 = now_us();
                if ((error = rd_kafka_begin_transaction(rk)))
                        fail("begin_transaction", error);
                long n = t < 0 ? per_txn : count - sent < per_txn ? count - sent : per_txn;
                for (long i = 0; i < n; i++) {
                        rd_kafka_resp_err_t err;
                        while ((err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                                                        RD_KAFKA_V_PARTITION(partition),
                                                        RD_KAFKA_V_VALUE(payload, size),
                                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                        RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                rd_kafka_poll(rk, 10);
                        if (err) {
                                fprintf(stderr, "%% produce: %s\n", rd_kafka_err2str(err));
                                return 1;
                        }
                        rd_kafka_poll(rk, 0);
                }
                int64_t t1 = now_us();
                if ((error = rd_kafka_commit_transaction(rk, 60000)))
                        fail("commit_transaction", error);
                int64_t t2 = now_us();
                if (t < 0)
                        continue;
                sent += n;
                begin_us[t] = t0 - start;
                produce_us[t] = t1 - t0;
                commit_us[t] = t2 - t1;
                txn_us[t] = t2 - t0;
        }
        int64_t elapsed = now_us() - start;
        rd_kafka_poll(rk, 0);
        if (txn_log != NULL) {
                FILE *f = fopen(txn_log, "w");
                if (f == NULL) {
                        fprintf(stderr, "%% %s: %s\n", txn_log, strerror(errno));
                        return 1;
                }
                for (long t = 0; t < txns; t++)
                        fprintf(f, "%ld %ld %ld %ld\n", (long)begin_us[t], (long)produce_us[t],
                                (long)commit_us[t], (long)txn_us[t]);
                fclose(f);
        }

        qsort(produce_us, (size_t)txns, sizeof(int64_t), cmp_i64);
        qsort(commit_us, (size_t)txns, sizeof(int64_t), cmp_i64);
        qsort(txn_us, (size_t)txns, sizeof(int64_t), cmp_i64);
        double secs = elapsed / 1e6;
        printf("%% %ld records in %ld transactions of %ld committed (%ld delivered, %ld failed), "
               "%ld bytes in %.0f ms: %.0f records/s, %.2f MB/s\n",
               sent, txns, per_txn, (long)delivered, (long)failed, sent * (long)size, elapsed / 1000.0,
               sent / secs, sent * (double)size / secs / 1e6);
        printf("{\"records\":%ld,\"transactions\":%ld,\"delivered\":%ld,\"failed\":%ld,\"elapsedMs\":%.3f,"
               "\"recordsPerSec\":%.1f,\"bytesPerSec\":%.1f,"
               "\"txnMeanMs\":%.3f,\"txnP50Ms\":%.3f,\"txnP90Ms\":%.3f,\"txnP99Ms\":%.3f,\"produceP50Ms\":%.3f,\"commitP50Ms\":%.3f,"
               "\"commitP99Ms\":%.3f}\n",
               sent, txns, (long)delivered, (long)failed, elapsed / 1000.0, sent / secs,
               sent * (double)size / secs, elapsed / 1000.0 / txns, pct_ms(txn_us, (int)txns, 50),
               pct_ms(txn_us, (int)txns, 90), pct_ms(txn_us, (int)txns, 99),
               pct_ms(produce_us, (int)txns, 50), pct_ms(commit_us, (int)txns, 50),
               pct_ms(commit_us, (int)txns, 99));
        fflush(stdout);

        rd_kafka_destroy(rk);
        free(payload);
        free(produce_us);
        free(commit_us);
        free(txn_us);
        free(begin_us);
        return failed > 0 ? 1 : 0;
}
